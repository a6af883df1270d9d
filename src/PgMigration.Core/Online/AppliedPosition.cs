using Npgsql;
using NpgsqlTypes;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Online;

/// <summary>
/// The end LSN of the last source commit the target has applied, kept on the target in the same
/// transaction as the changes: after a crash anywhere the stream resumes from exactly there.
/// </summary>
internal sealed record AppliedPosition(NpgsqlLogSequenceNumber? EndLsn, long Changes)
{
    public const string Table = $"{TableLayoutReader.EngineSchema}.applied_position";

    public static async Task<AppliedPosition> ReadAsync(NpgsqlDataSource target, string slotName, CancellationToken cancellationToken = default)
    {
        await using (var create = target.CreateCommand($"""
            SELECT pg_advisory_xact_lock(hashtextextended('pgmigrate/ledger', 0));
            CREATE SCHEMA IF NOT EXISTS {TableLayoutReader.EngineSchema};
            CREATE TABLE IF NOT EXISTS {Table} (slot text PRIMARY KEY, end_lsn pg_lsn NOT NULL, changes bigint NOT NULL, committed_at timestamptz NOT NULL);
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = target.CreateCommand($"SELECT end_lsn, changes FROM {Table} WHERE slot = $1");
        read.Parameters.AddWithValue(slotName);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AppliedPosition(reader.GetFieldValue<NpgsqlLogSequenceNumber>(0), reader.GetInt64(1))
            : new AppliedPosition(null, 0);
    }

    /// <summary>Records the position; call it in the apply transaction itself.</summary>
    public static NpgsqlBatchCommand Record(string slotName, NpgsqlLogSequenceNumber endLsn, long changes, DateTime committedAt)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {Table} (slot, end_lsn, changes, committed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (slot) DO UPDATE SET end_lsn = excluded.end_lsn, changes = excluded.changes, committed_at = excluded.committed_at
            """);
        command.Parameters.AddWithValue(slotName);
        command.Parameters.AddWithValue(NpgsqlDbType.PgLsn, endLsn);
        command.Parameters.AddWithValue(changes);
        command.Parameters.AddWithValue(DateTime.SpecifyKind(committedAt, DateTimeKind.Utc));
        return command;
    }
}
