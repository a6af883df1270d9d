using System.Globalization;
using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// The post-data step that gives a target sequence the source's value. The value is read from the source
/// when the step runs, after the rows are in: sequences are not transactional, so a value read then is at
/// or past every id the copied rows hold, even from a live source or an older snapshot, whereas the value
/// the catalog read at the start can be behind them.
/// </summary>
internal static class SequenceValueStep
{
    public static string Sql(string sequenceSql, SequenceValue value) =>
        string.Create(CultureInfo.InvariantCulture, $"SELECT pg_catalog.setval({SqlText.Literal(sequenceSql)}, {value.LastValue}, {(value.IsCalled ? "true" : "false")});");

    /// <summary>The step with the source's value as of now; as planned when the source does not let us read the sequence.</summary>
    public static async Task<SchemaStep> AsOfNowAsync(SchemaStep step, NpgsqlDataSource source, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = source.CreateCommand($"SELECT last_value, is_called FROM {step.Name}");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var sql = Sql(step.Name, new SequenceValue(reader.GetInt64(0), reader.GetBoolean(1)));
            return step with { Sql = sql, Statements = [sql] };
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return step;
        }
    }
}
