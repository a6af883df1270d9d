namespace PgMigration.Core.Catalog;

/// <param name="OwnedBy">OWNED BY table and column (serial columns), if any.</param>
/// <param name="IsIdentity">Belongs to an identity column: created with the table, never on its own.</param>
/// <param name="LastValue">The source's current value; null when nextval was never called.</param>
public sealed record SequenceInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string DataType,
    long Start,
    long Increment,
    long MinValue,
    long MaxValue,
    long Cache,
    bool Cycle,
    bool Unlogged,
    SequenceOwner? OwnedBy,
    bool IsIdentity,
    long? LastValue,
    string? Comment);

public sealed record SequenceOwner(QualifiedName Table, string Column);
