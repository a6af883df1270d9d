namespace PgMigration.Core.Catalog;

/// <summary>The kind of a table constraint (pg_constraint.contype).</summary>
public enum ConstraintType
{
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclusion,

    /// <summary>A NOT NULL kept as a constraint of its own (PostgreSQL 18 for tables, 17 for domains).</summary>
    NotNull,

    /// <summary>The constraint of a CREATE CONSTRAINT TRIGGER, written by its trigger.</summary>
    Trigger,
}
