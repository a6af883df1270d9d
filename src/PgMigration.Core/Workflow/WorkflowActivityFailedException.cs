namespace PgMigration.Core.Workflow;

/// <summary>An activity or sub-workflow that failed after its retries. The message is the failure's own, without secrets.</summary>
public sealed class WorkflowActivityFailedException(string name, string message, Exception? inner = null)
    : Exception($"{name} failed: {message}", inner)
{
    public string Name { get; } = name;

    public string FailureMessage { get; } = message;
}
