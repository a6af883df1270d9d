namespace PgMigration.Core.Workflow;

/// <summary>The workflow gave up; the message says which stage, which object and what to do.</summary>
public sealed class MigrationFailedException(string message, Exception? inner = null) : Exception(message, inner);
