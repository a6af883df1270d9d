namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// The workflow's custom status: small on purpose (Durable limits its size); per-table progress is
/// read from the checkpoints.
/// </summary>
public sealed record WorkflowProgress(string Phase, int Done, int Total);
