using System.Data;
using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>
/// Copies one chunk from source to target, exactly once whatever dies when and however many copiers try.
/// One copier owns a chunk at a time (<see cref="ChunkOwner"/>, an advisory lock on the target). Keyed
/// chunks go in batches of key ranges: each batch is one target transaction that also records the chunk's
/// progress in the target's <see cref="CopyLedger"/>, and is checkpointed after commit. The target's record,
/// not the checkpoint, decides where the next batch starts: a checkpoint lost, rewound or written by a
/// stale copier cannot make a batch copy twice. Keyless chunks are one transaction that also records the
/// chunk in the ledger.
/// </summary>
internal sealed class TableCopier(NpgsqlDataSource source, NpgsqlDataSource target, ICheckpointStore checkpoints, TableCopierOptions options)
{
    public async Task<ChunkCheckpoint> CopyChunkAsync(TableLayout table, CopyChunk chunk, CancellationToken cancellationToken = default)
    {
        var checkpoint = await checkpoints.ReadChunkAsync(chunk.Id, cancellationToken);
        if (checkpoint is { Done: true })
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: true) { Resumed = true });
            return checkpoint;
        }

        // Nothing moved yet, but the clock of this table's rate and ETA starts now.
        options.OnProgress?.Invoke(new ChunkProgress(chunk, 0, 0, ChunkDone: false));

        if (!options.LedgerReady)
        {
            await options.Retry.ExecuteAsync(ct => new ValueTask(CopyLedger.EnsureAsync(target, ct)), cancellationToken);
        }

        await using var owner = new ChunkOwner(target, $"{options.PlanId}/{chunk.Id}");
        return chunk.Kind == ChunkKind.KeyRange
            ? await CopyKeyRangeAsync(table, chunk, checkpoint, owner, cancellationToken)
            : await CopyBlockRangeAsync(table, chunk, checkpoint, owner, cancellationToken);
    }

    private async Task<ChunkCheckpoint> CopyKeyRangeAsync(
        TableLayout table, CopyChunk chunk, ChunkCheckpoint? checkpoint, ChunkOwner owner, CancellationToken cancellationToken)
    {
        // A checkpoint found on entry means a run began this chunk. When the target has no record of it (a run
        // of an engine before the record, or a ledger lost), that run may have committed a batch it never checkpointed.
        var foundCheckpoint = checkpoint is not null;
        if (checkpoint is null)
        {
            checkpoint = new ChunkCheckpoint
            {
                ChunkId = chunk.Id, Table = table.Id, Sequence = 0, LastKey = chunk.LowerKey, Hash = table.UsesTextFormat ? null : RowSetHash.Empty,
            };
            if (options.CheckpointsStart)
            {
                await checkpoints.WriteChunkAsync(checkpoint, cancellationToken);
            }
        }
        else
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: false) { Resumed = true });
        }

        var inFlight = InFlightOf(chunk);
        try
        {
            return await CopyBatchesAsync(table, chunk, checkpoint, foundCheckpoint, owner, inFlight, cancellationToken);
        }
        finally
        {
            await inFlight.FinishAsync();
        }
    }

    private async Task<ChunkCheckpoint> CopyBatchesAsync(
        TableLayout table, CopyChunk chunk, ChunkCheckpoint checkpoint, bool foundCheckpoint, ChunkOwner owner, InFlightProgress inFlight, CancellationToken cancellationToken)
    {
        var entry = $"{options.PlanId}/{chunk.Id}";
        while (!checkpoint.Done)
        {
            var believed = checkpoint;
            var lastKey = checkpoint.LastKey;
            var sql = string.Empty;
            BatchOutcome outcome;
            try
            {
                outcome = await options.Retry.ExecuteAsync(
                    async ct =>
                    {
                        try
                        {
                            var targetConnection = await owner.ConnectAsync(ct);
                            await using var targetTransaction = await BeginTargetAsync(targetConnection, ct);
                            sql = $"SELECT FROM {CopyLedger.ProgressTable}";
                            var recorded = await CopyLedger.FindProgressAsync(targetConnection, entry, believed, ct);
                            if (recorded is not null && recorded.Sequence > believed.Sequence)
                            {
                                // The target is ahead: a checkpoint lost or rewound, another copier's batches,
                                // or an attempt that committed before its connection broke. Continue from there.
                                return new BatchOutcome(recorded, new CopiedVolume(recorded.Rows - believed.Rows, recorded.Bytes - believed.Bytes));
                            }

                            await using var sourceConnection = await source.OpenConnectionAsync(ct);
                            await using var sourceTransaction = await BeginSourceAsync(sourceConnection, ct);
                            var upper = chunk.UpperKey;
                            if (MayHoldMoreThanABatch(chunk, believed))
                            {
                                sql = ChunkSql.NextBatchUpperKey(table, ChunkSql.KeyRange(table, lastKey, chunk.UpperKey), options.BatchSize);
                                upper = await ReadKeyAsync(sourceConnection, sql, table.KeyColumns.Count, ct) ?? chunk.UpperKey;
                            }

                            var freeze = options.LoadsFrozen(table) && lastKey is null && upper is null;
                            if (freeze)
                            {
                                // This batch is the whole table: emptying it is the cleanup, and it allows FREEZE.
                                sql = ChunkSql.Truncate(table);
                                await ExecuteAsync(targetConnection, sql, ct);
                            }
                            else if (recorded is null ? foundCheckpoint : recorded.Sequence < believed.Sequence)
                            {
                                // Progress the target has no record of: clear whatever may lie past the checkpoint.
                                sql = ChunkSql.Delete(table, ChunkSql.KeyRange(table, lastKey, chunk.UpperKey));
                                await ExecuteAsync(targetConnection, sql, ct);
                            }

                            var range = ChunkSql.KeyRange(table, lastKey, upper);
                            var hashed = RowHashSql.Comparable(sourceConnection, targetConnection);
                            var copyOut = ChunkSql.CopyOut(table, range, hashed);
                            sql = $"{copyOut}{Environment.NewLine}  into: {ChunkSql.CopyIn(table, freeze)}";
                            var copied = await PumpAsync(table, sourceConnection, targetConnection, copyOut, hashed, freeze, total => inFlight.Streamed(believed.Sequence, total), ct);
                            var progress = believed with
                            {
                                Sequence = believed.Sequence + 1,
                                LastKey = upper,
                                Rows = believed.Rows + copied.Rows,
                                Bytes = believed.Bytes + copied.Bytes,
                                Hash = believed.Hash + copied.Hash,
                                Done = upper is null || upper.SequenceEqual(chunk.UpperKey ?? []),
                            };
                            sql = $"INSERT INTO {CopyLedger.ProgressTable} ...; COMMIT";
                            await CopyLedger.RecordProgressAndCommitAsync(targetTransaction, entry, progress, ct);
                            return new BatchOutcome(progress, copied);
                        }
                        catch
                        {
                            // The next attempt locks again on a fresh connection and reads the target's record anew.
                            inFlight.Retract(believed.Sequence);
                            await owner.ReleaseAsync();
                            throw;
                        }
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ChunkCopyException(chunk, sql, ex);
            }

            foundCheckpoint = false;
            checkpoint = outcome.Progress;
            if (await ChunkCheckpoint.StoreCommittedAsync(checkpoints, checkpoint, cancellationToken) is { } finished)
            {
                return finished;
            }

            inFlight.Committed(new CopiedVolume(Math.Max(0, outcome.Added.Rows), Math.Max(0, outcome.Added.Bytes)), checkpoint.Done);
        }

        return checkpoint;
    }

    /// <summary>Where a keyed batch left the chunk, and what it added to the target.</summary>
    private sealed record BatchOutcome(ChunkCheckpoint Progress, CopiedVolume Added);

    // The bound query walks the key index batch-size rows ahead; when the rest of the chunk fits in one
    // batch by the planner's estimate it is skipped and the batch runs to the chunk's end. A low estimate
    // only makes that batch larger: the chunk still caps it, and exactly-once does not depend on its size.
    private bool MayHoldMoreThanABatch(CopyChunk chunk, ChunkCheckpoint checkpoint) =>
        chunk.EstimatedRows <= 0 || chunk.EstimatedRows - checkpoint.Rows > options.BatchSize;

    private async Task<ChunkCheckpoint> CopyBlockRangeAsync(
        TableLayout table, CopyChunk chunk, ChunkCheckpoint? checkpoint, ChunkOwner owner, CancellationToken cancellationToken)
    {
        if (checkpoint is null && options.CheckpointsStart)
        {
            // Tells a later run that rows of this table on the target may be ours (the ledger says which).
            await checkpoints.WriteChunkAsync(new ChunkCheckpoint { ChunkId = chunk.Id, Table = table.Id, Sequence = 0 }, cancellationToken);
        }

        var entry = $"{options.PlanId}/{chunk.Id}";
        var sql = string.Empty;
        var inFlight = InFlightOf(chunk);
        // As for keyed batches, the checkpoint is stored before the streamed record goes: a status read sees one or the other.
        try
        {
            CopiedVolume volume;
            try
            {
                volume = await options.Retry.ExecuteAsync(
                    async ct =>
                    {
                        try
                        {
                            return await CopyBlocksOnceAsync(await owner.ConnectAsync(ct), ct);
                        }
                        catch
                        {
                            inFlight.Retract(0);
                            await owner.ReleaseAsync();
                            throw;
                        }
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ChunkCopyException(chunk, sql, ex);
            }

            var done = new ChunkCheckpoint
            {
                ChunkId = chunk.Id, Table = table.Id, Sequence = 1, Rows = volume.Rows, Bytes = volume.Bytes, Done = true, Hash = volume.Hash,
            };
            await checkpoints.WriteChunkAsync(done, cancellationToken);
            inFlight.Committed(volume, chunkDone: true);
            return done;
        }
        finally
        {
            await inFlight.FinishAsync();
        }

        async Task<CopiedVolume> CopyBlocksOnceAsync(NpgsqlConnection targetConnection, CancellationToken ct)
        {
            await using var targetTransaction = await BeginTargetAsync(targetConnection, ct);
            sql = $"SELECT FROM {CopyLedger.Table}";
            if (await CopyLedger.FindAsync(targetConnection, entry, ct) is { } already)
            {
                return already;
            }

            var freeze = options.LoadsFrozen(table) && chunk is { FirstBlock: 0, EndBlock: null };
            if (freeze)
            {
                // The whole table, and not in the ledger: whatever it holds is a failed attempt's.
                sql = ChunkSql.Truncate(table);
                await ExecuteAsync(targetConnection, sql, ct);
            }

            await using var sourceConnection = await source.OpenConnectionAsync(ct);
            await using var sourceTransaction = await BeginSourceAsync(sourceConnection, ct);
            var hashed = RowHashSql.Comparable(sourceConnection, targetConnection);
            var copyOut = ChunkSql.CopyOut(table, ChunkSql.BlockRange(chunk), hashed);
            sql = $"{copyOut}{Environment.NewLine}  into: {ChunkSql.CopyIn(table, freeze)}";
            // A keyless chunk's checkpoint stays at sequence 0 until its one transaction commits.
            var copied = await PumpAsync(table, sourceConnection, targetConnection, copyOut, hashed, freeze, total => inFlight.Streamed(0, total), ct);
            sql = $"INSERT INTO {CopyLedger.Table}";
            await CopyLedger.RecordAsync(targetConnection, entry, copied, ct);
            sql = "COMMIT";
            await targetTransaction.CommitAsync(ct);
            return copied;
        }
    }

    private InFlightProgress InFlightOf(CopyChunk chunk) => new(
        chunk,
        options.OnProgress,
        options.StreamedPublishInterval is { } interval ? new StreamedBatchPublisher(checkpoints, chunk.Id, interval, options.OnStreamedPublishFailed, TimeProvider.System) : null);

    /// <param name="hashed">The servers can compute the streamed row hash alike (<see cref="RowHashSql.Comparable"/>), and <paramref name="copyOut"/> was made for it.</param>
    private Task<CopiedVolume> PumpAsync(
        TableLayout table, NpgsqlConnection sourceConnection, NpgsqlConnection targetConnection, string copyOut, bool hashed, bool freeze, Action<CopiedVolume> onStreamed, CancellationToken cancellationToken)
    {
        var report = options.ReportStreamed ? onStreamed : null;
        return table.UsesTextFormat
            ? CopyStreamPump.PumpTextAsync(sourceConnection, copyOut, targetConnection, ChunkSql.CopyIn(table, freeze), report, cancellationToken)
            : CopyStreamPump.PumpBinaryAsync(sourceConnection, copyOut, targetConnection, ChunkSql.CopyIn(table, freeze), new StreamedRowHasher(table, hashed), report, cancellationToken);
    }

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
