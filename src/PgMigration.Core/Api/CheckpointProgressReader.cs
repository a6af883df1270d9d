using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Api;

/// <summary>
/// Per-table progress from what the copy itself writes: the stored data plan (tables, chunks, estimates),
/// the chunk checkpoints (rows and bytes committed) and the records of batches in flight
/// (<see cref="StreamedBatch"/>, refreshed every few seconds by the copy wherever it runs). Rows a batch in
/// flight in this process has streamed (<paramref name="streaming"/>) are fresher and are used instead
/// where there are any. Rates are averaged since the run started, which is what a status poll without
/// memory of earlier polls can know; rows earlier runs committed (<see cref="ResumedWork"/>) are marked as
/// resumed and left out of them.
/// </summary>
public sealed class CheckpointProgressReader(Func<string, ICheckpointStore> checkpointsFor, StreamedVolumes? streaming = null, TimeProvider? clock = null) : IMigrationProgressReader
{
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    public async Task<IReadOnlyList<TableProgress>> ReadAsync(string id, DateTimeOffset? startedAt, CancellationToken cancellationToken = default)
    {
        var store = checkpointsFor(id);
        if (await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken) is not { } json)
        {
            return [];
        }

        var plan = DataPlan.FromJson(json);

        // Streamed records first: a copy stores a batch's checkpoint before it removes the batch's record, so a
        // record gone by now has its checkpoint in the list read next. Read the other way round, a batch that
        // committed between the two reads showed neither its streamed rows nor its committed ones.
        var streamedRecords = await store.ListStreamedAsync(cancellationToken);
        var checkpoints = (await store.ListChunksAsync(cancellationToken)).ToDictionary(c => c.ChunkId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var published = streamedRecords
            .Where(s => s.IsCurrent(checkpoints.GetValueOrDefault(s.ChunkId), now))
            .ToDictionary(s => s.ChunkId, s => new CopiedVolume(s.Rows, s.Bytes), StringComparer.Ordinal);
        var resumed = await ResumedWork.ReadAsync(store, cancellationToken);
        var elapsed = startedAt is { } start ? Math.Max(1, (now - start).TotalSeconds) : (double?)null;
        var chunksByTable = plan.ChunksByTable();
        var tables = plan.Tables.Select(table => (Kind: DataKind.Table, Table: table, Chunks: chunksByTable[table.Id].ToList())).ToList();
        if (plan.LargeObjects is { } largeObjects)
        {
            // An object a row, in the table they live in.
            tables.Add((DataKind.LargeObjects, largeObjects.Layout, [.. largeObjects.Sets.Select(largeObjects.ChunkOf)]));
        }

        return [.. tables.Select(item =>
        {
            var (kind, table, chunks) = item;
            var done = chunks.Select(c => checkpoints.GetValueOrDefault(c.Id)).OfType<ChunkCheckpoint>().ToList();
            var streamed = chunks
                .Where(c => checkpoints.GetValueOrDefault(c.Id) is not { Done: true })
                .Select(c => streaming?.Of(id, c.Id) ?? published.GetValueOrDefault(c.Id) ?? new CopiedVolume(0, 0))
                .ToList();
            var rows = done.Sum(c => c.Rows) + streamed.Sum(v => v.Rows);
            var earlier = resumed.IsOf(startedAt)
                ? chunks.Select(c => resumed.Of(c.Id)).ToList()
                : [.. done.Select(c => new CopiedVolume(c.Rows, c.Bytes))];
            var rowsResumed = Math.Min(rows, earlier.Sum(v => v.Rows));
            var finished = done.Count(c => c.Done);
            var estimated = Math.Max(table.EstimatedRows, 0);
            var state = finished == chunks.Count ? TableCopyState.Copied : done.Count == 0 ? TableCopyState.Pending : TableCopyState.Copying;
            double? rate = rows > rowsResumed && state == TableCopyState.Copying && elapsed is { } seconds ? (rows - rowsResumed) / seconds : null;
            return new TableProgress
            {
                Schema = table.Schema,
                Table = table.Name,
                Kind = kind,
                State = state,
                RowsCopied = rows,
                RowsEstimated = estimated,
                BytesCopied = done.Sum(c => c.Bytes) + streamed.Sum(v => v.Bytes),
                RowsResumed = rowsResumed,
                BytesResumed = earlier.Sum(v => v.Bytes),
                ChunksDone = finished,
                ChunksTotal = chunks.Count,
                RowsPerSecond = rate is null ? null : Math.Round(rate.Value, 1),
                EtaSeconds = rate is > 0 ? Math.Round(Math.Max(0, estimated - rows) / rate.Value, 1) : null,
            };
        })];
    }
}
