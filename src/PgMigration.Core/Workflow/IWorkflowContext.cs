namespace PgMigration.Core.Workflow;

/// <summary>
/// The small port the migration workflow is written against, implemented over Durable's
/// TaskOrchestrationContext in Azure and in one process locally. Workflow code gets time, ids and
/// every side effect from here, so that a replay from history makes the same decisions.
/// </summary>
public interface IWorkflowContext
{
    string InstanceId { get; }

    /// <summary>Deterministic time: the time the current history event was recorded.</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the workflow re-executes already recorded history; use it to avoid duplicate logs.</summary>
    bool IsReplaying { get; }

    /// <summary>Runs an activity; after the retries are spent, throws <see cref="WorkflowActivityFailedException"/>.</summary>
    Task<TResult> CallActivityAsync<TResult>(string name, object input, WorkflowRetryPolicy? retry = null);

    /// <summary>Runs a registered workflow as a child with its own history.</summary>
    Task<TResult> CallSubWorkflowAsync<TResult>(string name, object input, string instanceId);

    /// <summary>
    /// Ends this run of the workflow and starts it again with <paramref name="input"/> and an empty history;
    /// the workflow returns right after calling it (its return value is ignored).
    /// </summary>
    void ContinueAsNew(object input);

    /// <summary>Publishes a small status object that status queries return while the workflow runs.</summary>
    void SetCustomStatus(object? status);
}
