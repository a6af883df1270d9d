namespace PgMigration.Core.Catalog;

/// <summary>The kind of an aggregate (pg_aggregate.aggkind).</summary>
internal enum AggregateKind
{
    Normal,

    /// <summary>An ordered-set aggregate (WITHIN GROUP).</summary>
    OrderedSet,

    /// <summary>A hypothetical-set aggregate: CREATE AGGREGATE ... HYPOTHETICAL.</summary>
    Hypothetical,
}
