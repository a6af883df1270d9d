using System.Data;
using Npgsql;

namespace PgMigration.Core.Catalog;

internal static class CommandScalar
{
    /// <summary>
    /// The first column of the first row (DBNull for NULL, null for no row), as ExecuteScalarAsync gives it, but
    /// with the row read whole before the value is taken. Npgsql's ExecuteScalarAsync reads in sequential mode
    /// and takes the value synchronously, waiting on the socket when the row is not in its buffer yet (a large
    /// value, a row split across packets): with socket completions run inline (the CLI's Program) that wait is on
    /// the thread that would deliver the data, and never ends.
    /// </summary>
    public static async Task<object?> ScalarAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken);
        return await reader.ReadAsync(cancellationToken) && reader.FieldCount > 0 ? reader.GetValue(0) : null;
    }
}
