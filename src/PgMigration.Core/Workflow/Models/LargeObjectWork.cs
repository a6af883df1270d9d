namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the large-object activities: one set of the stored plan's large objects.</summary>
public sealed record LargeObjectWork(string MigrationId, string PlanId, string Source, string Target, int SetIndex, string Set);
