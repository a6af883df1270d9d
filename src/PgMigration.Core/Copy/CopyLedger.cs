using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>
/// Tables on the target, written in the same transaction as the rows they describe, so they are right
/// whatever happened to the checkpoints: <see cref="Table"/> lists keyless chunks that committed (keyless
/// rows cannot be addressed by source ctid on the target, so this is what makes their copy exactly-once);
/// <see cref="ProgressTable"/> holds each keyed chunk's progress as of its last committed batch, so a lost,
/// stale or duplicated checkpoint never makes a batch copy again; <see cref="DocumentsTable"/> keeps a copy of
/// the migration's plans, so a run whose checkpoints were lost resumes from the target alone. Dropped when
/// the data is in, so the target's schema ends up identical to the source's.
/// </summary>
internal static class CopyLedger
{
    public const string Table = $"{TableLayoutReader.EngineSchema}.copied_chunks";

    public const string ProgressTable = $"{TableLayoutReader.EngineSchema}.chunk_progress";

    public const string DocumentsTable = $"{TableLayoutReader.EngineSchema}.plan_documents";

    public static async Task EnsureAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        // Every chunk and post-data step makes sure of the ledger: where it is complete, as it nearly always is,
        // one catalog read answers, without the lock and the DDL (which cost thousands of tables a minute).
        await using (var exists = target.CreateCommand($"""
            SELECT count(*) = 2 FROM pg_attribute
             WHERE attrelid IN (to_regclass('{Table}'), to_regclass('{ProgressTable}')) AND attname = 'row_hash_sum' AND NOT attisdropped
            """))
        {
            if (await exists.ScalarAsync(cancellationToken) is true)
            {
                return;
            }
        }

        // One implicit transaction: the lock makes concurrent copiers create the schema one after another,
        // where two IF NOT EXISTS at once can both try and one fails on the catalog's unique index.
        await using var command = target.CreateCommand($"""
            SELECT pg_advisory_xact_lock(hashtextextended('pgmigrate/ledger', 0));
            CREATE SCHEMA IF NOT EXISTS {TableLayoutReader.EngineSchema};
            CREATE TABLE IF NOT EXISTS {Table} (entry text PRIMARY KEY, rows bigint NOT NULL, bytes bigint NOT NULL, row_hash_sum text);
            CREATE TABLE IF NOT EXISTS {ProgressTable} (
                entry text PRIMARY KEY, sequence bigint NOT NULL, last_key text[], rows bigint NOT NULL, bytes bigint NOT NULL, done boolean NOT NULL, row_hash_sum text);
            CREATE TABLE IF NOT EXISTS {DocumentsTable} (id text PRIMARY KEY, content text NOT NULL);
            {AddMissingHashColumns}
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keeps these plan documents on the target (replacing older copies).</summary>
    public static async Task KeepDocumentsAsync(NpgsqlDataSource target, IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand($"""
            INSERT INTO {DocumentsTable} (id, content) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (id) DO UPDATE SET content = excluded.content
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = documents.Values.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The plan documents kept on the target; none when it holds no unfinished migration.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> KeptDocumentsAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = target.CreateCommand($"SELECT id, content FROM {DocumentsTable}");
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                documents[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No ledger, or one from before plans were kept in it.
        }

        return documents;
    }

    /// <summary>
    /// The chunks of plan <paramref name="planId"/> that have a batch committed on the target: begun, whether or
    /// not a checkpoint says so (none is written before the first batch of a small table, and one may be lost).
    /// </summary>
    public static async Task<IReadOnlySet<string>> BegunChunksAsync(NpgsqlDataSource target, string planId, CancellationToken cancellationToken = default)
    {
        var chunks = new HashSet<string>(StringComparer.Ordinal);
        var prefix = $"{planId}/";
        await using var command = target.CreateCommand($"""
            SELECT entry FROM {Table} WHERE starts_with(entry, $1)
            UNION ALL SELECT entry FROM {ProgressTable} WHERE starts_with(entry, $1)
            """);
        command.Parameters.AddWithValue(prefix);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                chunks.Add(reader.GetString(0)[prefix.Length..]);
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            // No ledger: nothing of this plan has committed.
        }

        return chunks;
    }

    // A ledger an engine before this row hash made (its row_hash was of another kind), resumed by this one: its
    // rows have no hash, so their tables are verified by the two-sided checksum. ALTER only when needed: it would
    // wait for every batch in flight.
    private const string AddMissingHashColumns = $"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '{Table}'::regclass AND attname = 'row_hash_sum') THEN
                ALTER TABLE {Table} ADD COLUMN row_hash_sum text;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '{ProgressTable}'::regclass AND attname = 'row_hash_sum') THEN
                ALTER TABLE {ProgressTable} ADD COLUMN row_hash_sum text;
            END IF;
        END $$;
        """;

    public static async Task DropAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand($"DROP SCHEMA IF EXISTS {TableLayoutReader.EngineSchema} CASCADE");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<CopiedVolume?> FindAsync(NpgsqlConnection target, string entry, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"SELECT rows, bytes, row_hash_sum FROM {Table} WHERE entry = $1", target);
        command.Parameters.AddWithValue(entry);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CopiedVolume(reader.GetInt64(0), reader.GetInt64(1)) { Hash = HashOf(reader, 2) } : null;
    }

    public static async Task RecordAsync(NpgsqlConnection target, string entry, CopiedVolume volume, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(target) { BatchCommands = { Record(entry, volume) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement that records <paramref name="entry"/>, for a batch that commits it together with the work it stands for.</summary>
    public static NpgsqlBatchCommand Record(string entry, CopiedVolume volume) =>
        new($"INSERT INTO {Table} (entry, rows, bytes, row_hash_sum) VALUES ($1, $2, $3, $4)")
        {
            Parameters = { new() { Value = entry }, new() { Value = volume.Rows }, new() { Value = volume.Bytes }, HashParameter(volume.Hash) },
        };

    /// <summary>Which of <paramref name="entries"/> the ledger holds, in one query.</summary>
    public static async Task<IReadOnlySet<string>> FoundAsync(NpgsqlConnection target, IReadOnlyList<string> entries, CancellationToken cancellationToken = default)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"SELECT entry FROM {Table} WHERE entry = ANY($1)", target);
        command.Parameters.Add(new NpgsqlParameter { Value = entries.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>The chunk's progress as of its last committed batch, or null when no batch of it has committed.</summary>
    public static async Task<ChunkCheckpoint?> FindProgressAsync(NpgsqlConnection target, string entry, ChunkCheckpoint template, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"SELECT sequence, last_key, rows, bytes, done, row_hash_sum FROM {ProgressTable} WHERE entry = $1", target);
        command.Parameters.AddWithValue(entry);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return template with
        {
            Sequence = reader.GetInt64(0),
            LastKey = reader.IsDBNull(1) ? null : reader.GetFieldValue<string[]>(1),
            Rows = reader.GetInt64(2),
            Bytes = reader.GetInt64(3),
            Done = reader.GetBoolean(4),
            Hash = HashOf(reader, 5),
        };
    }

    /// <summary>Records a batch's progress in the batch's own transaction and commits it.</summary>
    public static async Task RecordProgressAndCommitAsync(NpgsqlTransaction transaction, string entry, ChunkCheckpoint progress, CancellationToken cancellationToken = default)
    {
        await RecordProgressAsync(transaction.Connection!, entry, progress, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records a batch's progress; call it in the batch's own transaction.</summary>
    private static async Task RecordProgressAsync(NpgsqlConnection target, string entry, ChunkCheckpoint progress, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {ProgressTable} (entry, sequence, last_key, rows, bytes, done, row_hash_sum) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (entry) DO UPDATE SET sequence = excluded.sequence, last_key = excluded.last_key,
                rows = excluded.rows, bytes = excluded.bytes, done = excluded.done, row_hash_sum = excluded.row_hash_sum
            """, target);
        command.Parameters.AddWithValue(entry);
        command.Parameters.AddWithValue(progress.Sequence);
        command.Parameters.Add(new NpgsqlParameter { Value = progress.LastKey?.ToArray() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(progress.Rows);
        command.Parameters.AddWithValue(progress.Bytes);
        command.Parameters.AddWithValue(progress.Done);
        command.Parameters.Add(HashParameter(progress.Hash));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter HashParameter(RowSetHash? hash) =>
        new() { Value = hash?.ToString() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static RowSetHash? HashOf(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : RowSetHash.Parse(reader.GetString(ordinal));
}
