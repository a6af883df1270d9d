namespace PgMigration.Core.Catalog;

/// <summary>
/// A column's NOT NULL as PostgreSQL 18 keeps it: a constraint with a name of its own (pg_constraint
/// contype 'n'), which may be NO INHERIT, or NOT VALID over rows that predate it.
/// </summary>
public sealed record NotNullConstraint(string Name, bool NoInherit, bool Validated)
{
    /// <summary>The name PostgreSQL gives a NOT NULL declared without one on a table of its own.</summary>
    public static string DefaultName(string table, string column) => $"{table}_{column}_not_null";
}
