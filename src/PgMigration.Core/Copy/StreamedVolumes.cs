using System.Collections.Concurrent;

namespace PgMigration.Core.Copy;

/// <summary>
/// What batches in flight in this process have streamed and not yet committed, per migration and chunk:
/// the part of a table's progress no checkpoint holds yet. Status reads served by the process that runs
/// the copy (pgmigrate serve; a Functions instance running the activity) add it to the checkpoints; other
/// processes read the coarser <see cref="Checkpoints.StreamedBatch"/> records the copy publishes.
/// </summary>
public sealed class StreamedVolumes
{
    private readonly ConcurrentDictionary<(string MigrationId, string ChunkId), CopiedVolume> inFlight = new();

    /// <summary>Takes a chunk's progress report: streamed volume adds up, a committed report settles it.</summary>
    public void Report(string migrationId, ChunkProgress progress)
    {
        var key = (migrationId, progress.Chunk.Id);
        if (!progress.Uncommitted)
        {
            inFlight.TryRemove(key, out _);
            return;
        }

        inFlight.AddOrUpdate(
            key,
            new CopiedVolume(progress.Rows, progress.Bytes),
            (_, streamed) => new CopiedVolume(streamed.Rows + progress.Rows, streamed.Bytes + progress.Bytes));
    }

    /// <summary>
    /// What a batch in flight in this process has streamed on the chunk; null when none runs here, or only
    /// an attempt that failed here did (Durable may be retrying the chunk on another instance).
    /// </summary>
    public CopiedVolume? Of(string migrationId, string chunkId) =>
        inFlight.TryGetValue((migrationId, chunkId), out var streamed) && streamed != new CopiedVolume(0, 0) ? streamed : null;
}
