namespace PgMigration.Core.Copy;

/// <summary>
/// Rows and bytes a chunk's copy added since its last report: committed by a batch (or, when resuming,
/// held by the chunk already), or, when <see cref="Uncommitted"/>, streamed by a batch still in flight.
/// Streamed volume is reported a few times a second while a batch runs; if the batch fails, a negative
/// report takes it back, and when it commits, the committed report adds only what was not streamed yet.
/// </summary>
public sealed record ChunkProgress(CopyChunk Chunk, long Rows, long Bytes, bool ChunkDone)
{
    public bool Uncommitted { get; init; }

    /// <summary>Rows and bytes an earlier run committed, found on resuming: counted in totals, never in rates.</summary>
    public bool Resumed { get; init; }
}
