namespace PgMigration.Core.Catalog;

public sealed record SchemaInfo(ObjectAddress Address, string Name, string? Comment);

public sealed record ExtensionInfo(ObjectAddress Address, string Name, string Schema, string Version)
{
    public string? Comment { get; init; }
}

public sealed record CollationInfo(
    ObjectAddress Address,
    QualifiedName Name,
    char Provider,
    string? Collate,
    string? Ctype,
    string? Locale,
    string? Rules,
    bool Deterministic,
    string? Comment);
