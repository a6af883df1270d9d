using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>
/// Publishes what one chunk's batch in flight has streamed to the checkpoint store, for status reads in
/// other processes: at most once per interval, one write at a time, in the background. The copy never
/// waits for a write, and a failed one only leaves the display behind until the next.
/// </summary>
internal sealed class StreamedBatchPublisher(ICheckpointStore store, string chunkId, TimeSpan interval, Action<Exception>? onFailure, TimeProvider clock)
{
    private Task pending = Task.CompletedTask;
    private DateTimeOffset nextAt = DateTimeOffset.MinValue;
    private bool published;

    /// <summary>The batch that started at checkpoint <paramref name="afterSequence"/> has streamed <paramref name="total"/>.</summary>
    public void Streamed(long afterSequence, CopiedVolume total)
    {
        var now = clock.GetUtcNow();
        if (now < nextAt || !pending.IsCompleted)
        {
            return;
        }

        nextAt = now + interval;
        published = true;
        pending = WriteAsync(new StreamedBatch { ChunkId = chunkId, AfterSequence = afterSequence, Rows = total.Rows, Bytes = total.Bytes, UpdatedAt = now });
    }

    /// <summary>The batch failed: what it published never landed, and must not be shown until the next attempt streams.</summary>
    public void Retract(long afterSequence)
    {
        if (!published)
        {
            return;
        }

        published = false;
        var retracted = new StreamedBatch { ChunkId = chunkId, AfterSequence = afterSequence, UpdatedAt = clock.GetUtcNow() };
        pending = AfterPendingAsync(pending, () => store.WriteStreamedAsync(retracted));
    }

    /// <summary>The chunk is done: removes its record so that status reads list only chunks in flight, and waits for the last write.</summary>
    public Task FinishAsync()
    {
        if (published)
        {
            published = false;
            pending = AfterPendingAsync(pending, () => store.DeleteStreamedAsync(chunkId));
        }

        return pending;
    }

    // Off the copy's thread: a folder store's write ends with an fsync.
    private Task WriteAsync(StreamedBatch streamed) => Task.Run(() => AfterPendingAsync(Task.CompletedTask, () => store.WriteStreamedAsync(streamed)));

    // Never throws: a display that lags is no reason to fail a copy.
    private async Task AfterPendingAsync(Task previous, Func<Task> write)
    {
        await previous;
        try
        {
            await write();
        }
        catch (Exception ex)
        {
            onFailure?.Invoke(ex);
        }
    }
}
