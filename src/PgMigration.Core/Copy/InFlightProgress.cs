namespace PgMigration.Core.Copy;

/// <summary>
/// What one batch attempt has shown of its stream so far, so that progress moves while a large batch
/// (a whole table, with the defaults) streams, and still adds up to what was committed. Reported in this
/// process as it streams, and published through the checkpoint store (when <paramref name="publisher"/>
/// is given) for status reads elsewhere.
/// </summary>
internal sealed class InFlightProgress(CopyChunk chunk, Action<ChunkProgress>? report, StreamedBatchPublisher? publisher)
{
    private long rows;
    private long bytes;

    /// <summary>The attempt that started from checkpoint <paramref name="afterSequence"/> has streamed <paramref name="total"/> so far.</summary>
    public void Streamed(long afterSequence, CopiedVolume total)
    {
        report?.Invoke(new ChunkProgress(chunk, total.Rows - rows, total.Bytes - bytes, ChunkDone: false) { Uncommitted = true });
        publisher?.Streamed(afterSequence, total);
        rows = total.Rows;
        bytes = total.Bytes;
    }

    /// <summary>The attempt from checkpoint <paramref name="afterSequence"/> failed: what it showed never landed.</summary>
    public void Retract(long afterSequence)
    {
        if (rows != 0 || bytes != 0)
        {
            report?.Invoke(new ChunkProgress(chunk, -rows, -bytes, ChunkDone: false) { Uncommitted = true });
        }

        publisher?.Retract(afterSequence);
        rows = bytes = 0;
    }

    /// <summary>The attempt committed <paramref name="added"/>: reports the part not shown while it streamed.</summary>
    public void Committed(CopiedVolume added, bool chunkDone)
    {
        report?.Invoke(new ChunkProgress(chunk, added.Rows - rows, added.Bytes - bytes, chunkDone));
        rows = bytes = 0;
    }

    /// <summary>The chunk is done or given up: its published record goes, after any write still under way.</summary>
    public Task FinishAsync() => publisher?.FinishAsync() ?? Task.CompletedTask;
}
