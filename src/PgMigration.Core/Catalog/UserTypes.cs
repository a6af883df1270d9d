namespace PgMigration.Core.Catalog;

public sealed record EnumTypeInfo(ObjectAddress Address, QualifiedName Name, IReadOnlyList<string> Labels, string? Comment);

public sealed record CompositeTypeInfo(ObjectAddress Address, QualifiedName Name, IReadOnlyList<CompositeAttribute> Attributes, string? Comment);

/// <param name="Type">format_type() text, typmod included.</param>
/// <param name="Collation">Qualified collation when it differs from the type's default.</param>
public sealed record CompositeAttribute(string Name, string Type, string? Collation);

public sealed record DomainInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string BaseType,
    string? Collation,
    string? Default,
    bool NotNull,
    IReadOnlyList<DomainConstraint> Constraints,
    string? Comment);

public sealed record DomainConstraint(string Name, string Definition, bool Validated, string? Comment);

public sealed record RangeTypeInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string Subtype,
    string? SubtypeOperatorClass,
    string? Collation,
    string? Canonical,
    string? SubtypeDiff,
    string? MultirangeName,
    string? Comment);
