using Microsoft.DurableTask;
using PgMigration.Core.Workflow;

namespace PgMigration.Functions;

/// <summary>Translates <see cref="IWorkflowContext"/> onto Durable's <see cref="TaskOrchestrationContext"/>.</summary>
internal sealed class DurableWorkflowContext(TaskOrchestrationContext context) : IWorkflowContext
{
    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public bool IsReplaying => context.IsReplaying;

    public async Task<TResult> CallActivityAsync<TResult>(string name, object input, WorkflowRetryPolicy? retry = null)
    {
        try
        {
            return await context.CallActivityAsync<TResult>(name, input, retry is null ? null : TaskOptions.FromRetryPolicy(ToDurable(retry)));
        }
        catch (TaskFailedException ex)
        {
            throw new WorkflowActivityFailedException(name, ex.FailureDetails.ErrorMessage, ex);
        }
    }

    public async Task<TResult> CallSubWorkflowAsync<TResult>(string name, object input, string instanceId)
    {
        try
        {
            return await context.CallSubOrchestratorAsync<TResult>(name, input, new SubOrchestrationOptions(instanceId: instanceId));
        }
        catch (TaskFailedException ex)
        {
            throw new WorkflowActivityFailedException(name, ex.FailureDetails.ErrorMessage, ex);
        }
    }

    public void SetCustomStatus(object? status) => context.SetCustomStatus(status);

    public void ContinueAsNew(object input) => context.ContinueAsNew(input, preserveUnprocessedEvents: true);

    // A failure the activity marked permanent (a refusal, SQL the target rejects, a cancel) is not retried.
    private static RetryPolicy ToDurable(WorkflowRetryPolicy retry) =>
        new(retry.MaxAttempts, retry.FirstRetryInterval, retry.BackoffCoefficient, retry.MaxRetryInterval)
        {
            HandleFailure = failure => !failure.IsCausedBy<PermanentFailureException>(),
        };
}
