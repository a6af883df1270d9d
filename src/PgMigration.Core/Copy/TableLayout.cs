using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>A column the data copy moves: not generated, not dropped.</summary>
public sealed record CopyColumn(string Name, string TypeName, bool IsInteger)
{
    /// <summary>How its values enter the row hash that verifies the copy.</summary>
    public ColumnHashKind Hash { get; init; }
}

/// <summary>
/// What the copy needs to know about one table (or one partition leaf): which columns to move, which
/// key orders its rows for chunking, whether its binary COPY form is portable, and how big it is.
/// </summary>
public sealed record TableLayout
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<CopyColumn> Columns { get; init; }

    /// <summary>Virtual generated columns (PostgreSQL 18): never copied, but what users read, so verified.</summary>
    public IReadOnlyList<CopyColumn> VirtualColumns { get; init; } = [];

    /// <summary>The primary key or a NOT NULL unique key in index order; empty when the table has none.</summary>
    public required IReadOnlyList<CopyColumn> KeyColumns { get; init; }

    /// <summary>
    /// True when some column's binary form names type OIDs that differ between servers (arrays or
    /// composites of user-defined types) or the type has no binary I/O: such tables copy as text.
    /// </summary>
    public required bool UsesTextFormat { get; init; }

    public required long EstimatedRows { get; init; }

    public required long EstimatedBytes { get; init; }

    /// <summary>The partitioned table this leaf belongs to, or null.</summary>
    public string? PartitionOf { get; init; }

    public string QualifiedName => $"{SqlText.Identifier(Schema)}.{SqlText.Identifier(Name)}";

    /// <summary>The table as the engine knows it: chunks, checkpoints, work items and results name it by this.</summary>
    [JsonIgnore]
    public QualifiedName Id => new(Schema, Name);

    /// <summary>Schema and name for people: <c>public.orders</c>.</summary>
    /// <summary>As the user would write it in SQL: quoted where a bare name would be ambiguous.</summary>
    public string DisplayName => SqlText.Qualified(Schema, Name);

    public bool HasKey => KeyColumns.Count > 0;

    public string ColumnList => string.Join(", ", Columns.Select(c => SqlText.Identifier(c.Name)));

    /// <summary>The copied columns and the virtual ones: every value a reader of the table sees.</summary>
    public string VerifiedColumnList => string.Join(", ", Columns.Concat(VirtualColumns).Select(c => SqlText.Identifier(c.Name)));
}
