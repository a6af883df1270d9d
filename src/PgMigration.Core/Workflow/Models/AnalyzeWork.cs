using PgMigration.Core.Catalog;

namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the statistics activity: one copied table of a stored plan, on the target.</summary>
public sealed record AnalyzeWork(string MigrationId, string PlanId, string Target, int TableIndex, QualifiedName Table);
