namespace PgMigration.Core.Catalog;

/// <summary>A table constraint.</summary>
/// <param name="Definition">pg_get_constraintdef() text.</param>
/// <param name="IsLocal">Declared here rather than only inherited from a parent.</param>
/// <param name="ParentConstraint">conparentid: set on partitions' copies of a partitioned table's constraint.</param>
public sealed record ConstraintInfo(
    ObjectAddress Address,
    QualifiedName Table,
    string Name,
    ConstraintType Type,
    string Definition,
    bool IsLocal,
    int InheritCount,
    bool Validated,
    uint ParentConstraint,
    string? Comment)
{
    /// <summary>The table a foreign key references; null for other constraints.</summary>
    public QualifiedName? References { get; init; }
}

/// <param name="Definition">pg_get_indexdef() text (CREATE INDEX ... ON ONLY for partitioned tables).</param>
/// <param name="Constraint">Name of the constraint the index implements, if any (then the constraint creates it).</param>
/// <param name="ParentIndex">The partitioned index this partition's index is attached to.</param>
public sealed record IndexInfo(
    ObjectAddress Address,
    QualifiedName Table,
    QualifiedName Name,
    string Definition,
    string? Constraint,
    QualifiedName? ParentIndex,
    bool IsClustered,
    bool IsReplicaIdentity,
    string? Comment)
{
    /// <summary>Statistics targets set on expression columns, by column number.</summary>
    public IReadOnlyList<KeyValuePair<int, int>> StatisticsTargets { get; init; } = [];
}
