using System.Data;
using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Verification;

/// <summary>
/// Runs one checksum query and reads its rows, in a read-only repeatable-read transaction with the copy's
/// session settings (the text forms it hashes must be those of the copy) and the dead-client check.
/// </summary>
internal static class ChecksumQuery
{
    /// <summary>The query's one row.</summary>
    /// <param name="snapshotId">Read from this exported snapshot (see <see cref="SourceSnapshot"/>), or the transaction's own.</param>
    public static async Task<T> ReadAsync<T>(
        NpgsqlDataSource dataSource, string sql, string? snapshotId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        (await ReadRowsAsync(dataSource, sql, snapshotId, read, cancellationToken)).Single();

    /// <summary>Every row of the query, each read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadRowsAsync<T>(
        NpgsqlDataSource dataSource, string sql, string? snapshotId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = snapshotId is null ? string.Empty : $"SET TRANSACTION SNAPSHOT {SqlText.Literal(snapshotId)}; ";
        await using (var settings = new NpgsqlCommand($"SET TRANSACTION READ ONLY; {snapshot}{DeadClientCheck.SetLocal(connection)}{ChunkSql.SessionSettings}", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
