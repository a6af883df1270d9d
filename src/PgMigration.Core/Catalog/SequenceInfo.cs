namespace PgMigration.Core.Catalog;

/// <param name="OwnedBy">OWNED BY table and column (serial columns), if any.</param>
/// <param name="IsIdentity">Belongs to an identity column: created with the table, never on its own.</param>
/// <param name="Value">Where the source's sequence stands; null when it cannot be read (no SELECT right).</param>
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
    SequenceValue? Value,
    string? Comment);

public sealed record SequenceOwner(QualifiedName Table, string Column);

/// <summary>
/// A sequence's state as setval takes it: <paramref name="IsCalled"/> false means the next nextval returns
/// <paramref name="LastValue"/> itself (a new sequence, or one after setval(s, n, false) or RESTART WITH n).
/// </summary>
public sealed record SequenceValue(long LastValue, bool IsCalled);
