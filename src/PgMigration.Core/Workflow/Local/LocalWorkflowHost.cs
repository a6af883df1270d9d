using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow.Local;

/// <summary>
/// Runs registered workflows in this process: activities on the thread pool, at most
/// <see cref="LocalWorkflowOptions.MaxConcurrentActivities"/> at once, each retried with the policy
/// the workflow passed, values round-tripped through JSON as Durable would.
/// </summary>
internal sealed class LocalWorkflowHost(WorkflowRegistry registry, LocalWorkflowOptions options)
{
    internal WorkflowRegistry Registry { get; } = registry;

    internal LocalWorkflowOptions Options { get; } = options;

    /// <summary>Runs workflow <paramref name="name"/> to its end and returns its output as JSON.</summary>
    public async Task<string> RunAsync(string name, string instanceId, object input, Action<object?> onStatus, CancellationToken cancellationToken = default)
    {
        // When the workflow ends, by a failure too, the activities still running are stopped and awaited:
        // nothing of a failed run goes on writing after it has reported, or uses the throttle once it is gone.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(Math.Max(1, Options.MaxConcurrentActivities));
        var run = new Run(this, slots, stop.Token);
        try
        {
            return await run.RunWorkflowAsync(name, instanceId, WorkflowJson.Serialize(input), onStatus);
        }
        finally
        {
            await stop.CancelAsync();
            await run.WhenAllStoppedAsync();
        }
    }

    public async Task<TOutput> RunAsync<TOutput>(string name, string instanceId, object input, Action<object?> onStatus, CancellationToken cancellationToken = default) =>
        WorkflowJson.Deserialize<TOutput>(await RunAsync(name, instanceId, input, onStatus, cancellationToken));

    /// <summary>State shared by a run's parent and sub-workflows.</summary>
    internal sealed class Run(LocalWorkflowHost host, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        // Only what still runs: a finished activity's task holds its whole async state (the objects its locals
        // referenced), and keeping every one until the run ends made memory grow with the number of tables.
        private readonly HashSet<Task> started = [];

        public CancellationToken CancellationToken => cancellationToken;

        /// <summary>Keeps <paramref name="work"/> until it ends; the run's end waits for it.</summary>
        public void Track(Task work)
        {
            lock (started)
            {
                started.Add(work);
            }

            work.ContinueWith(
                finished =>
                {
                    lock (started)
                    {
                        started.Remove(finished);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public async Task WhenAllStoppedAsync()
        {
            Task[] all;
            lock (started)
            {
                all = [.. started];
            }

            // Their outcomes went to the workflow already; here only their end matters.
            await Task.WhenAll(all).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        public async Task<string> RunWorkflowAsync(string name, string instanceId, string inputJson, Action<object?> onStatus)
        {
            while (true)
            {
                var history = host.Options.Recorder?.Start(instanceId, name, inputJson);
                var context = new LocalWorkflowContext(instanceId, this, history, onStatus);
                var json = inputJson;
                var output = await context.RunAsync(() => host.Registry.Workflow(name)(context, json));
                if (context.ContinuedAsNewWith is { } next)
                {
                    // As Durable does: the same instance again, with the new input and a new history.
                    inputJson = WorkflowJson.Serialize(next);
                    continue;
                }

                history?.Add(new WorkflowEvent(WorkflowEventKind.Finished, -1, name, output));
                return output;
            }
        }

        public async Task<string> RunActivityAsync(string name, string inputJson, WorkflowRetryPolicy? retry)
        {
            var activity = host.Registry.Activity(name);
            var maxAttempts = retry?.MaxAttempts ?? 1;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await slots.WaitAsync(cancellationToken);
                    try
                    {
                        return await activity(inputJson, cancellationToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }
                catch (Exception ex) when (attempt < maxAttempts && !cancellationToken.IsCancellationRequested && WorkflowRetryPolicy.CanHelp(ex))
                {
                    var delay = retry!.DelayBefore(attempt + 1);
                    host.Options.Logger.ActivityRetrying(name, attempt, maxAttempts, delay.TotalSeconds, BoundedText.Message(ex.Message));
                    await Task.Delay(delay, cancellationToken);
                }
            }
        }

        public void ReportProgress(string instanceId, object? status)
        {
            if (status is WorkflowProgress progress)
            {
                host.Options.Logger.Progress(instanceId, progress.Phase.Name(), progress.Done, progress.Total);
            }
        }
    }
}
