using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the verify activity: one table of a stored plan.</summary>
public sealed record VerifyWork(string MigrationId, string PlanId, string Source, string Target, int TableIndex, QualifiedName Table)
{
    /// <summary>How many of the table's ranges the target sums at once.</summary>
    public int Parallelism { get; init; } = 1;
}

/// <summary>Row count and content checksum of one table on both sides, or of the large objects (<see cref="Kind"/>), which live in <see cref="LargeObjectPlan.Table"/>.</summary>
public sealed record TableVerified(QualifiedName Table, bool Equal, long SourceRows, long TargetRows, string Detail)
{
    public DataKind Kind { get; init; } = DataKind.Table;
}
