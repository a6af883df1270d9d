namespace PgMigration.Core.Catalog;

/// <summary>The command a row security policy applies to (pg_policy.polcmd).</summary>
public enum PolicyCommand
{
    All,
    Select,
    Insert,
    Update,
    Delete,
}
