namespace PgMigration.Core.Workflow;

/// <summary>
/// An activity failed in a way no retry changes (a refusal, SQL the target rejects, a cancel). Hosts'
/// retry policies stop on it: Durable's through RetryPolicy.HandleFailure, the local host through
/// <see cref="WorkflowRetryPolicy.CanHelp"/>. The message is the cause's, bounded: hosts store and show it.
/// </summary>
public sealed class PermanentFailureException(Exception cause) : Exception(BoundedText.Message(cause.Message), cause);
