using System.Collections.Concurrent;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>
/// Replays a recorded instance the way Durable does: the workflow code runs again on one thread, every
/// call it schedules is answered from history (never executed), completions are delivered in the
/// recorded order and only when the workflow is idle. Returns the decisions the replay made.
/// </summary>
internal static class WorkflowReplayer
{
    public static IReadOnlyList<WorkflowEvent> Replay(WorkflowHistory history, Func<IWorkflowContext, string, Task<string>> workflow)
    {
        var previous = SynchronizationContext.Current;
        var pump = new PumpContext();
        SynchronizationContext.SetSynchronizationContext(pump);
        try
        {
            var context = new ReplayContext(history);
            Task<string>? run = null;
            pump.Post(_ => run = workflow(context, history.InputJson), null);
            var completions = history.Events.Where(e => e.Kind is WorkflowEventKind.Completed or WorkflowEventKind.Failed).ToList();
            var next = 0;
            while (true)
            {
                pump.Drain();
                if (run!.IsCompleted)
                {
                    context.Decisions.Add(new WorkflowEvent(WorkflowEventKind.Finished, -1, history.Name, run.GetAwaiter().GetResult()));
                    return context.Decisions;
                }

                if (next == completions.Count)
                {
                    throw new InvalidOperationException($"The replay of {history.InstanceId} waits for a call that its history never completed: the workflow is not deterministic.");
                }

                context.Deliver(completions[next++]);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private sealed class ReplayContext(WorkflowHistory history) : IWorkflowContext
    {
        private readonly Dictionary<int, Action<WorkflowEvent>> pending = [];
        private int nextSequence;

        public List<WorkflowEvent> Decisions { get; } = [];

        public string InstanceId => history.InstanceId;

        public DateTime CurrentUtcDateTime => new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public bool IsReplaying => true;

        public Task<TResult> CallActivityAsync<TResult>(string name, object input, WorkflowRetryPolicy? retry = null) =>
            Schedule<TResult>(WorkflowEventKind.ActivityScheduled, name, input);

        public Task<TResult> CallSubWorkflowAsync<TResult>(string name, object input, string instanceId) =>
            Schedule<TResult>(WorkflowEventKind.SubWorkflowScheduled, name, input);

        public void ContinueAsNew(object input) =>
            Decisions.Add(new WorkflowEvent(WorkflowEventKind.Finished, -1, "continue-as-new", WorkflowJson.Serialize(input)));

        public void SetCustomStatus(object? status) =>
            Decisions.Add(new WorkflowEvent(WorkflowEventKind.CustomStatus, -1, null, WorkflowJson.Serialize(status)));

        public void Deliver(WorkflowEvent completion)
        {
            if (!pending.Remove(completion.Sequence, out var complete))
            {
                throw new InvalidOperationException(
                    $"History completes call {completion.Sequence} ({completion.Name}) of {InstanceId}, which the replay has not scheduled: the workflow is not deterministic.");
            }

            complete(completion);
        }

        private Task<TResult> Schedule<TResult>(WorkflowEventKind kind, string name, object input)
        {
            var sequence = nextSequence++;
            Decisions.Add(new WorkflowEvent(kind, sequence, name, WorkflowJson.Serialize(input)));
            var completion = new TaskCompletionSource<TResult>();
            pending[sequence] = e =>
            {
                if (e.Kind == WorkflowEventKind.Completed)
                {
                    completion.SetResult(WorkflowJson.Deserialize<TResult>(e.Json!));
                }
                else
                {
                    completion.SetException(new WorkflowActivityFailedException(name, e.Json!));
                }
            };
            return completion.Task;
        }
    }

    /// <summary>A single-threaded synchronization context: continuations queue here and run only in <see cref="Drain"/>.</summary>
    private sealed class PumpContext : SynchronizationContext
    {
        private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> queue = new();

        public override void Post(SendOrPostCallback d, object? state) => queue.Enqueue((d, state));

        public override void Send(SendOrPostCallback d, object? state) => d(state);

        public void Drain()
        {
            // A continuation posted from another thread would make the replay racy; there is none, all completions come from Deliver.
            while (queue.TryDequeue(out var work))
            {
                work.Callback(work.State);
            }
        }
    }
}
