namespace PgMigration.Core.Catalog;

/// <summary>What a pg_proc entry is (pg_proc.prokind).</summary>
public enum RoutineKind
{
    Function,
    Procedure,
    Aggregate,
    Window,
}
