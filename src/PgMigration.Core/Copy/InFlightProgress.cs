namespace PgMigration.Core.Copy;

/// <summary>
/// What one batch attempt has shown of its stream so far, so that progress moves while a large batch
/// (a whole table, with the defaults) streams, and still adds up to what was committed.
/// </summary>
internal sealed class InFlightProgress(CopyChunk chunk, Action<ChunkProgress>? report)
{
    private long rows;
    private long bytes;

    /// <summary>The attempt has streamed <paramref name="total"/> so far.</summary>
    public void Streamed(CopiedVolume total)
    {
        report?.Invoke(new ChunkProgress(chunk, total.Rows - rows, total.Bytes - bytes, ChunkDone: false) { Uncommitted = true });
        rows = total.Rows;
        bytes = total.Bytes;
    }

    /// <summary>The attempt failed: what it showed never landed.</summary>
    public void Retract()
    {
        if (rows != 0 || bytes != 0)
        {
            report?.Invoke(new ChunkProgress(chunk, -rows, -bytes, ChunkDone: false) { Uncommitted = true });
        }

        rows = bytes = 0;
    }

    /// <summary>The attempt committed <paramref name="added"/>: reports the part not shown while it streamed.</summary>
    public void Committed(CopiedVolume added, bool chunkDone)
    {
        report?.Invoke(new ChunkProgress(chunk, added.Rows - rows, added.Bytes - bytes, chunkDone));
        rows = bytes = 0;
    }
}
