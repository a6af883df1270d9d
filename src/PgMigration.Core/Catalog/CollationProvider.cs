namespace PgMigration.Core.Catalog;

/// <summary>The library a collation comes from (pg_collation.collprovider).</summary>
public enum CollationProvider
{
    /// <summary>The database's default collation; no user collation has it.</summary>
    Default,

    Libc,
    Icu,

    /// <summary>PostgreSQL's own (PostgreSQL 17 and later).</summary>
    Builtin,
}
