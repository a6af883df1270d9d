namespace PgMigration.Core.Catalog;

/// <summary>Where a cast applies without being written (pg_cast.castcontext).</summary>
public enum CastContext
{
    /// <summary>Only when written: the default.</summary>
    Explicit,

    /// <summary>AS ASSIGNMENT.</summary>
    Assignment,

    /// <summary>AS IMPLICIT.</summary>
    Implicit,
}
