namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the per-table sub-workflow that copies a table with many chunks.</summary>
public sealed record TableCopyWork(string MigrationId, string PlanId, string Source, string Target, PlannedTable Table, int BatchSize, int Parallelism);
