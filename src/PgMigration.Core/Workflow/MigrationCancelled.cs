namespace PgMigration.Core.Workflow;

/// <summary>The 202 body of <c>POST /api/migrations/{id}/cancel</c>: whether a running migration was stopped.</summary>
internal sealed record MigrationCancelled(string InstanceId, bool Cancelled, MigrationRuntimeStatus PreviousStatus);
