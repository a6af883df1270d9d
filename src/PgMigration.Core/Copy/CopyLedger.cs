using Npgsql;

namespace PgMigration.Core.Copy;

/// <summary>
/// A table on the target, written in the same transaction as a keyless chunk's rows: a chunk listed there
/// has committed, whatever happened to its checkpoint. Keyless rows cannot be addressed by source ctid on
/// the target, so this is what makes their copy exactly-once. Dropped when the data is in, so the target's
/// schema ends up identical to the source's.
/// </summary>
public static class CopyLedger
{
    public const string Table = $"{TableLayoutReader.EngineSchema}.copied_chunks";

    public static async Task EnsureAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {TableLayoutReader.EngineSchema};
            CREATE TABLE IF NOT EXISTS {Table} (entry text PRIMARY KEY, rows bigint NOT NULL, bytes bigint NOT NULL);
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DropAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand($"DROP SCHEMA IF EXISTS {TableLayoutReader.EngineSchema} CASCADE");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<CopiedVolume?> FindAsync(NpgsqlConnection target, string entry, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"SELECT rows, bytes FROM {Table} WHERE entry = $1", target);
        command.Parameters.AddWithValue(entry);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CopiedVolume(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public static async Task RecordAsync(NpgsqlConnection target, string entry, CopiedVolume volume, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {Table} (entry, rows, bytes) VALUES ($1, $2, $3)", target);
        command.Parameters.AddWithValue(entry);
        command.Parameters.AddWithValue(volume.Rows);
        command.Parameters.AddWithValue(volume.Bytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
