namespace PgMigration.Core.Catalog;

/// <summary>An operator family and the members that belong to it directly rather than to one of its classes.</summary>
/// <param name="AccessMethod">btree, hash, gist ...</param>
public sealed record OperatorFamilyInfo(ObjectAddress Address, QualifiedName Name, string AccessMethod, IReadOnlyList<string> LooseMembers, string? Comment);

/// <param name="Members">OPERATOR and FUNCTION items as SQL, e.g. <c>OPERATOR 1 &lt;(integer,integer)</c>.</param>
/// <param name="Family">The family, qualified.</param>
/// <param name="Storage">STORAGE type when it differs from the indexed type.</param>
public sealed record OperatorClassInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string AccessMethod,
    bool IsDefault,
    string Type,
    string Family,
    string? Storage,
    IReadOnlyList<string> Members,
    string? Comment);
