using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Workflow;

/// <summary>
/// A cancel that reaches activities wherever they run. Durable's terminate stops an orchestration but
/// neither the activities in flight nor those already queued for a worker, so the cancel is also written
/// to the migration's checkpoint store: every activity checks it before it starts and watches it while it
/// runs, and a new start of the same migration id clears it.
/// </summary>
public static class MigrationCancellation
{
    private const string DocumentId = "cancel-requested";

    /// <summary>How often a running activity looks for a cancel: a few reads a second at most, never per row.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public static Task RequestAsync(ICheckpointStore store, DateTimeOffset requestedAt, CancellationToken cancellationToken = default) =>
        store.WriteDocumentAsync(DocumentId, requestedAt.ToString("O"), cancellationToken);

    public static async Task<bool> IsRequestedAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(DocumentId, cancellationToken) is not null;

    public static Task ClearAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        store.DeleteDocumentAsync(DocumentId, cancellationToken);

    /// <summary>A token that is cancelled when <paramref name="cancellationToken"/> is, or when a cancel is requested.</summary>
    public static Watch StartWatch(ICheckpointStore store, CancellationToken cancellationToken) => new(store, cancellationToken);

    public sealed class Watch : IDisposable
    {
        private readonly CancellationTokenSource source;
        private readonly CancellationTokenSource stop = new();

        internal Watch(ICheckpointStore store, CancellationToken cancellationToken)
        {
            source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _ = PollAsync(store);
        }

        public CancellationToken Token => source.Token;

        /// <summary>True once a requested cancel (not the caller's token) stopped the work.</summary>
        public bool Requested { get; private set; }

        public void Dispose()
        {
            stop.Cancel();
            source.Dispose();
        }

        private async Task PollAsync(ICheckpointStore store)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(WatchInterval, stop.Token);
                    if (await IsRequestedAsync(store, stop.Token))
                    {
                        Requested = true;
                        source.Cancel();
                        return;
                    }
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // The activity ended first.
            }
            catch (Exception)
            {
                // A storage hiccup must not fail the activity; the next start checks again.
            }
        }
    }
}
