using System.Data;
using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>
/// A snapshot of the source exported by a coordinator connection held open for as long as this object
/// lives: every chunk reader that imports it sees the database as of one instant, even while it changes.
/// </summary>
public sealed class SourceSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private SourceSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, string id)
    {
        _connection = connection;
        _transaction = transaction;
        Id = id;
    }

    public string Id { get; }

    public static async Task<SourceSnapshot> ExportAsync(NpgsqlDataSource source, CancellationToken cancellationToken = default)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var command = new NpgsqlCommand("SET TRANSACTION READ ONLY; SELECT pg_export_snapshot()", connection, transaction);
            var id = (string)(await command.ScalarAsync(cancellationToken))!;
            return new SourceSnapshot(connection, transaction, id);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
