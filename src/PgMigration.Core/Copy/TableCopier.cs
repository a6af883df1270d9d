using System.Data;
using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>
/// Copies one chunk from source to target, exactly once whatever dies when.
/// Keyed chunks go in batches of key ranges: each batch is one target transaction, checkpointed after
/// commit. A batch may have committed without its checkpoint (a kill between the two), so whenever a
/// chunk restarts from a checkpoint, or a batch is retried, the first transaction also deletes
/// everything after the last checkpointed key up to the chunk's end: one delete per restart, not per batch.
/// Keyless chunks are one transaction that also records the chunk in <see cref="CopyLedger"/>.
/// </summary>
public sealed class TableCopier(NpgsqlDataSource source, NpgsqlDataSource target, ICheckpointStore checkpoints, TableCopierOptions options)
{
    public async Task<ChunkCheckpoint> CopyChunkAsync(TableLayout table, CopyChunk chunk, CancellationToken cancellationToken = default)
    {
        var checkpoint = await checkpoints.ReadChunkAsync(chunk.Id, cancellationToken);
        if (checkpoint is { Done: true })
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: true));
            return checkpoint;
        }

        // Nothing moved yet, but the clock of this table's rate and ETA starts now.
        options.OnProgress?.Invoke(new ChunkProgress(chunk, 0, 0, ChunkDone: false));

        return chunk.Kind == ChunkKind.KeyRange
            ? await CopyKeyRangeAsync(table, chunk, checkpoint, cancellationToken)
            : await CopyBlockRangeAsync(table, chunk, checkpoint, cancellationToken);
    }

    private async Task<ChunkCheckpoint> CopyKeyRangeAsync(
        TableLayout table, CopyChunk chunk, ChunkCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        // A checkpoint found on entry means an earlier run began this chunk and may have committed a batch it never recorded.
        var needsCleanup = checkpoint is not null;
        if (checkpoint is null)
        {
            // Written before any batch can commit: without it a restart knows the target holds nothing of this chunk.
            checkpoint = new ChunkCheckpoint { ChunkId = chunk.Id, Table = table.DisplayName, Sequence = 0, LastKey = chunk.LowerKey };
            await checkpoints.WriteChunkAsync(checkpoint, cancellationToken);
        }
        else
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: false));
        }

        while (!checkpoint.Done)
        {
            var lastKey = checkpoint.LastKey;
            var sql = string.Empty;
            var attempts = 0;
            CopiedVolume volume;
            IReadOnlyList<string>? batchUpper;
            try
            {
                (volume, batchUpper) = await options.Retry.ExecuteAsync(
                    async ct =>
                    {
                        // A failed attempt may have committed before the connection broke: clear its range again.
                        needsCleanup |= attempts++ > 0;
                        await using var sourceConnection = await source.OpenConnectionAsync(ct);
                        await using var sourceTransaction = await BeginSourceAsync(sourceConnection, ct);
                        var upper = chunk.UpperKey;
                        if (MayHoldMoreThanABatch(chunk, checkpoint))
                        {
                            sql = ChunkSql.NextBatchUpperKey(table, ChunkSql.KeyRange(table, lastKey, chunk.UpperKey), options.BatchSize);
                            upper = await ReadKeyAsync(sourceConnection, sql, table.KeyColumns.Count, ct) ?? chunk.UpperKey;
                        }

                        await using var targetConnection = await target.OpenConnectionAsync(ct);
                        await using var targetTransaction = await BeginTargetAsync(targetConnection, ct);
                        var freeze = options.IsNewTable(table) && lastKey is null && upper is null;
                        if (freeze)
                        {
                            // This batch is the whole table: emptying it is the cleanup, and it allows FREEZE.
                            sql = ChunkSql.Truncate(table);
                            await ExecuteAsync(targetConnection, sql, ct);
                        }
                        else if (needsCleanup)
                        {
                            sql = ChunkSql.Delete(table, ChunkSql.KeyRange(table, lastKey, chunk.UpperKey));
                            await ExecuteAsync(targetConnection, sql, ct);
                        }

                        var range = ChunkSql.KeyRange(table, lastKey, upper);
                        sql = $"{ChunkSql.CopyOut(table, range)}{Environment.NewLine}  into: {ChunkSql.CopyIn(table, freeze)}";
                        var copied = await PumpAsync(table, sourceConnection, targetConnection, ChunkSql.CopyOut(table, range), freeze, ct);
                        sql = "COMMIT";
                        await targetTransaction.CommitAsync(ct);
                        needsCleanup = false;
                        return (copied, upper);
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ChunkCopyException(chunk, sql, ex);
            }

            var done = batchUpper is null || batchUpper.SequenceEqual(chunk.UpperKey ?? []);
            checkpoint = checkpoint with
            {
                Sequence = checkpoint.Sequence + 1,
                LastKey = batchUpper,
                Rows = checkpoint.Rows + volume.Rows,
                Bytes = checkpoint.Bytes + volume.Bytes,
                Done = done,
            };
            await checkpoints.WriteChunkAsync(checkpoint, cancellationToken);
            options.OnProgress?.Invoke(new ChunkProgress(chunk, volume.Rows, volume.Bytes, done));
        }

        return checkpoint;
    }

    // The bound query walks the key index batch-size rows ahead; when the rest of the chunk fits in one
    // batch by the planner's estimate it is skipped and the batch runs to the chunk's end. A low estimate
    // only makes that batch larger: the chunk still caps it, and exactly-once does not depend on its size.
    private bool MayHoldMoreThanABatch(CopyChunk chunk, ChunkCheckpoint checkpoint) =>
        chunk.EstimatedRows <= 0 || chunk.EstimatedRows - checkpoint.Rows > options.BatchSize;

    private async Task<ChunkCheckpoint> CopyBlockRangeAsync(TableLayout table, CopyChunk chunk, ChunkCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint is null)
        {
            // Tells a later run that rows of this table on the target may be ours (the ledger says which).
            await checkpoints.WriteChunkAsync(new ChunkCheckpoint { ChunkId = chunk.Id, Table = table.DisplayName, Sequence = 0 }, cancellationToken);
        }

        var entry = $"{options.PlanId}/{chunk.Id}";
        var sql = string.Empty;
        CopiedVolume volume;
        try
        {
            volume = await options.Retry.ExecuteAsync(
                async ct =>
                {
                    await using var targetConnection = await target.OpenConnectionAsync(ct);
                    await using var targetTransaction = await BeginTargetAsync(targetConnection, ct);
                    sql = $"SELECT FROM {CopyLedger.Table}";
                    if (await CopyLedger.FindAsync(targetConnection, entry, ct) is { } already)
                    {
                        return already;
                    }

                    var freeze = options.IsNewTable(table) && chunk is { FirstBlock: 0, EndBlock: null };
                    if (freeze)
                    {
                        // The whole table, and not in the ledger: whatever it holds is a failed attempt's.
                        sql = ChunkSql.Truncate(table);
                        await ExecuteAsync(targetConnection, sql, ct);
                    }

                    await using var sourceConnection = await source.OpenConnectionAsync(ct);
                    await using var sourceTransaction = await BeginSourceAsync(sourceConnection, ct);
                    sql = $"{ChunkSql.CopyOut(table, ChunkSql.BlockRange(chunk))}{Environment.NewLine}  into: {ChunkSql.CopyIn(table, freeze)}";
                    var copied = await PumpAsync(table, sourceConnection, targetConnection, ChunkSql.CopyOut(table, ChunkSql.BlockRange(chunk)), freeze, ct);
                    sql = $"INSERT INTO {CopyLedger.Table}";
                    await CopyLedger.RecordAsync(targetConnection, entry, copied, ct);
                    sql = "COMMIT";
                    await targetTransaction.CommitAsync(ct);
                    return copied;
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ChunkCopyException(chunk, sql, ex);
        }

        var done = new ChunkCheckpoint
        {
            ChunkId = chunk.Id, Table = table.DisplayName, Sequence = 1, Rows = volume.Rows, Bytes = volume.Bytes, Done = true,
        };
        await checkpoints.WriteChunkAsync(done, cancellationToken);
        options.OnProgress?.Invoke(new ChunkProgress(chunk, volume.Rows, volume.Bytes, ChunkDone: true));
        return done;
    }

    private static Task<CopiedVolume> PumpAsync(
        TableLayout table, NpgsqlConnection sourceConnection, NpgsqlConnection targetConnection, string copyOut, bool freeze, CancellationToken cancellationToken) =>
        table.UsesTextFormat
            ? CopyStreamPump.PumpTextAsync(sourceConnection, copyOut, targetConnection, ChunkSql.CopyIn(table, freeze), cancellationToken)
            : CopyStreamPump.PumpBinaryAsync(sourceConnection, copyOut, targetConnection, ChunkSql.CopyIn(table, freeze), cancellationToken);

    private async Task<NpgsqlTransaction> BeginSourceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // One repeatable-read snapshot per batch: the batch bound and the rows it copies agree.
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = options.SnapshotId is { } id ? $"SET TRANSACTION SNAPSHOT {SqlText.Literal(id)}; " : string.Empty;
        await ExecuteAsync(connection, $"SET TRANSACTION READ ONLY; {snapshot}{ChunkSql.SessionSettings}", cancellationToken);
        return transaction;
    }

    private static async Task<NpgsqlTransaction> BeginTargetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, ChunkSql.SessionSettings, cancellationToken);
        return transaction;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<string>?> ReadKeyAsync(NpgsqlConnection connection, string sql, int parts, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return Enumerable.Range(0, parts).Select(reader.GetString).ToList();
    }
}
