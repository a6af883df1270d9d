using System.Collections.Concurrent;

namespace PgMigration.Core.Workflow.Local;

/// <summary>
/// Runs one workflow instance's code the way Durable does: on one logical thread, and after each
/// completed call everything the workflow can do without waiting runs before the next completion is
/// delivered. Completions are delivered in the order they were recorded, so a replay that delivers
/// the same history the same way sees exactly what this run saw.
/// </summary>
internal sealed class WorkflowPump : SynchronizationContext
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> work = new();
    private readonly Queue<Action> completions = new();
    private readonly object completionGate = new();
    private readonly SemaphoreSlim ready = new(0);

    public override void Post(SendOrPostCallback d, object? state)
    {
        work.Enqueue((d, state));
        ready.Release();
    }

    public override void Send(SendOrPostCallback d, object? state) => Post(d, state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Queues a completion; <paramref name="record"/> runs under the same lock, so history order is delivery order.</summary>
    public void Complete(Action record, Action deliver)
    {
        lock (completionGate)
        {
            record();
            completions.Enqueue(deliver);
        }

        ready.Release();
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> start)
    {
        Task<T>? workflow = null;
        Post(_ => workflow = start(), null);
        var previous = Current;
        while (true)
        {
            await ready.WaitAsync().ConfigureAwait(false);
            SetSynchronizationContext(this);
            try
            {
                if (work.TryDequeue(out var item))
                {
                    item.Callback(item.State);
                }
                else
                {
                    Action deliver;
                    lock (completionGate)
                    {
                        deliver = completions.Dequeue();
                    }

                    deliver();
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }

            if (workflow is { IsCompleted: true } && work.IsEmpty)
            {
                return await workflow.ConfigureAwait(false);
            }
        }
    }
}
