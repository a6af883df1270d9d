namespace PgMigration.Core.Catalog;

/// <summary>An ordinary or partitioned table, with what the data engine needs to size it.</summary>
/// <param name="PartitionKey">pg_get_partkeydef() text for a partitioned table.</param>
/// <param name="PartitionBound">FOR VALUES ... / DEFAULT for a partition.</param>
/// <param name="AccessMethod">Table access method when it is not heap.</param>
/// <param name="EstimatedRows">pg_class.reltuples; -1 when the table was never analyzed (see <see cref="RowEstimate"/>).</param>
/// <param name="TotalBytes">Its size with its indexes and TOAST; null unless the catalog was read with <see cref="CatalogReadOptions.TableSizes"/>.</param>
public sealed record TableInfo(
    ObjectAddress Address,
    QualifiedName Name,
    bool IsPartitioned,
    bool Unlogged,
    IReadOnlyList<ColumnInfo> Columns,
    string? PartitionKey,
    QualifiedName? PartitionOf,
    string? PartitionBound,
    IReadOnlyList<QualifiedName> Inherits,
    string? AccessMethod,
    IReadOnlyList<string> Options,
    IReadOnlyList<string> ToastOptions,
    bool RowSecurity,
    bool ForceRowSecurity,
    ReplicaIdentity ReplicaIdentity,
    long EstimatedRows,
    long? TotalBytes,
    bool HasDroppedColumns,
    string? Comment)
{
    /// <summary>The composite type of a typed table (CREATE TABLE ... OF type), whose columns come from the type.</summary>
    public string? OfType { get; init; }

    public bool IsPartition => PartitionOf is not null;
}

/// <param name="Type">format_type() text, typmod included.</param>
/// <param name="Collation">Qualified collation when it differs from the type's default.</param>
/// <param name="Identity">How an identity column generates its values; null for any other column.</param>
/// <param name="GenerationExpression">Expression of a generated column, stored or virtual.</param>
/// <param name="IsLocal">Declared on this table, not (only) inherited.</param>
/// <param name="StatisticsTarget">Per-column statistics target, or null for the default.</param>
/// <param name="Storage">SET STORAGE value when it differs from the type's default.</param>
public sealed record ColumnInfo(
    int Number,
    string Name,
    string Type,
    bool NotNull,
    string? Collation,
    IdentityGeneration? Identity,
    SequenceInfo? IdentitySequence,
    string? GenerationExpression,
    bool IsLocal,
    int InheritCount,
    int? StatisticsTarget,
    string? Storage,
    string? Compression,
    IReadOnlyList<string> Options,
    string? Comment)
{
    /// <summary>The NOT NULL's constraint, read from sources of PostgreSQL 18 and later.</summary>
    public NotNullConstraint? NotNullConstraint { get; init; }

    /// <summary>A virtual generated column (PostgreSQL 18): computed when read, never stored.</summary>
    public bool IsVirtual { get; init; }
}

/// <summary>A column DEFAULT (not a generation expression), emitted on its own so it can follow the functions it calls.</summary>
public sealed record ColumnDefault(ObjectAddress Address, QualifiedName Table, string Column, string Expression);
