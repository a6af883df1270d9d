using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Online;

/// <summary>
/// The migrated tables made read-only on the source for a cut over: one transaction holds them in EXCLUSIVE
/// mode (reads go on, writes wait), and ends, releasing them, when this is disposed or its process dies.
/// </summary>
internal sealed class SourceWriteLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private SourceWriteLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<SourceWriteLock> AcquireAsync(NpgsqlDataSource source, IReadOnlyList<OnlineTable> tables, CancellationToken cancellationToken = default)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (tables.Count > 0)
            {
                await using var command = new NpgsqlCommand($"LOCK TABLE {string.Join(", ", tables.Select(t => SqlText.Qualified(t.Schema, t.Name)))} IN EXCLUSIVE MODE", connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new SourceWriteLock(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
