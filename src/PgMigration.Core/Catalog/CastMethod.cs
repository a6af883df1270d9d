namespace PgMigration.Core.Catalog;

/// <summary>How a cast converts (pg_cast.castmethod).</summary>
public enum CastMethod
{
    /// <summary>WITH FUNCTION.</summary>
    Function,

    /// <summary>WITHOUT FUNCTION: the types are binary coercible.</summary>
    BinaryCoercible,

    /// <summary>WITH INOUT: through the types' text forms.</summary>
    InOut,
}
