namespace PgMigration.Core.Workflow.Local;

/// <summary>
/// <see cref="IWorkflowContext"/> for one process. The workflow's own code runs on a
/// <see cref="WorkflowPump"/>; activities and sub-workflows run on the thread pool. Nothing is
/// replayed here, so time is the clock's.
/// </summary>
internal sealed class LocalWorkflowContext(string instanceId, LocalWorkflowHost.Run run, WorkflowHistory? history, Action<object?> onStatus) : IWorkflowContext
{
    private readonly WorkflowPump pump = new();
    private int nextSequence;

    public string InstanceId { get; } = instanceId;

    public DateTime CurrentUtcDateTime => DateTime.UtcNow;

    public bool IsReplaying => false;

    /// <summary>The input the workflow asked to start over with, or null when it ended.</summary>
    public object? ContinuedAsNewWith { get; private set; }

    public Task<T> RunAsync<T>(Func<Task<T>> workflow) => pump.RunAsync(workflow);

    public void ContinueAsNew(object input) => ContinuedAsNewWith = input;

    public Task<TResult> CallActivityAsync<TResult>(string name, object input, WorkflowRetryPolicy? retry = null) =>
        Schedule<TResult>(WorkflowEventKind.ActivityScheduled, name, input, json => run.RunActivityAsync(name, json, retry));

    public Task<TResult> CallSubWorkflowAsync<TResult>(string name, object input, string instanceId) =>
        Schedule<TResult>(WorkflowEventKind.SubWorkflowScheduled, name, input, json => run.RunWorkflowAsync(name, instanceId, json, _ => { }));

    public void SetCustomStatus(object? status)
    {
        history?.Add(new WorkflowEvent(WorkflowEventKind.CustomStatus, -1, null, WorkflowJson.Serialize(status)));
        run.ReportProgress(InstanceId, status);

        // The host's callback must not capture the workflow's pump: async work it starts would be stranded when the workflow ends.
        var pumpContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            onStatus(status);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(pumpContext);
        }
    }

    private Task<TResult> Schedule<TResult>(WorkflowEventKind kind, string name, object input, Func<string, Task<string>> execute)
    {
        var sequence = nextSequence++;
        var json = WorkflowJson.Serialize(input);
        history?.Add(new WorkflowEvent(kind, sequence, name, json));

        var completion = new TaskCompletionSource<TResult>();
        run.Track(Task.Run(async () =>
        {
            try
            {
                var output = await execute(json);
                var value = WorkflowJson.Deserialize<TResult>(output);
                Complete(new WorkflowEvent(WorkflowEventKind.Completed, sequence, name, output), () => completion.SetResult(value));
            }
            catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
            {
                pump.Complete(() => { }, () => completion.SetCanceled(run.CancellationToken));
            }
            catch (Exception ex)
            {
                var message = ex is WorkflowActivityFailedException failed ? failed.FailureMessage : ex.Message;
                Complete(
                    new WorkflowEvent(WorkflowEventKind.Failed, sequence, name, message),
                    () => completion.SetException(new WorkflowActivityFailedException(name, message, ex)));
            }
        }));
        return completion.Task;
    }

    private void Complete(WorkflowEvent recorded, Action deliver) => pump.Complete(() => history?.Add(recorded), deliver);
}
