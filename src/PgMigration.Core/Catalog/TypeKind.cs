namespace PgMigration.Core.Catalog;

/// <summary>What a type is (pg_type.typtype).</summary>
internal enum TypeKind
{
    Base,
    Composite,
    Domain,
    Enum,
    Pseudo,
    Range,

    /// <summary>A multirange (PostgreSQL 14 and later).</summary>
    Multirange,
}
