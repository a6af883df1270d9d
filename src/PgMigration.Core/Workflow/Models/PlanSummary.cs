using PgMigration.Core.Catalog;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// What the workflow needs to know of a stored plan to schedule it: the full plan and its DDL stay in
/// the checkpoint store under <see cref="PlanId"/>.
/// </summary>
public sealed record PlanSummary(
    string PlanId,
    IReadOnlyList<PlannedTable> Tables,
    int PreDataSteps,
    IReadOnlyList<int> PostDataStageSteps)
{
    /// <summary>The post-data group of keys and indexes, whose steps may run as soon as their table is copied; -1 if none.</summary>
    public int IndexGroup { get; init; } = -1;

    /// <summary>The sets of large objects the data phase copies, by their position in the stored plan.</summary>
    public IReadOnlyList<PlannedLargeObjectSet> LargeObjects { get; init; } = [];
}

/// <summary>One set of large objects of the plan (see <see cref="Copy.LargeObjectSet"/>).</summary>
public sealed record PlannedLargeObjectSet(int Index, string Id, long Objects);

/// <summary>One table of the plan, by its position in the stored plan.</summary>
public sealed record PlannedTable(int Index, QualifiedName Name, long EstimatedRows, long EstimatedBytes, int Chunks)
{
    /// <summary>Steps of <see cref="PlanSummary.IndexGroup"/> that build this table's keys and indexes.</summary>
    public IReadOnlyList<int> IndexSteps { get; init; } = [];

    /// <summary>The names of what <see cref="IndexSteps"/> build, in the same order, for progress displays.</summary>
    public IReadOnlyList<string> IndexNames { get; init; } = [];

    /// <summary>This table's foreign keys to copied tables, each a post-data group of its own.</summary>
    public IReadOnlyList<PlannedForeignKey> ForeignKeys { get; init; } = [];
}

/// <summary>A foreign key the workflow adds as soon as its table and <paramref name="ReferencedTable"/> are loaded and keyed.</summary>
/// <param name="Group">Its post-data group (of one step).</param>
/// <param name="ReferencedTable">The <see cref="PlannedTable.Index"/> of the table it references.</param>
public sealed record PlannedForeignKey(int Group, int ReferencedTable)
{
    /// <summary>The key's name, for progress displays.</summary>
    public string? Name { get; init; }
}
