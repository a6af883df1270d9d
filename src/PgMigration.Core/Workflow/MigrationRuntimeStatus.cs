namespace PgMigration.Core.Workflow;

/// <summary>Where a migration run stands, in Durable Functions' own vocabulary so both hosts say the same.</summary>
public enum MigrationRuntimeStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Terminated,
}
