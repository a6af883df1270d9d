namespace PgMigration.Core.Catalog;

/// <summary>
/// When a trigger, rule or event trigger fires with respect to session_replication_role (pg_trigger.tgenabled,
/// pg_rewrite.ev_enabled, pg_event_trigger.evtenabled).
/// </summary>
public enum FiringMode
{
    /// <summary>Enabled: fires in origin and local sessions, the default.</summary>
    Origin,

    Disabled,

    /// <summary>ENABLE REPLICA: fires only in replica sessions.</summary>
    Replica,

    /// <summary>ENABLE ALWAYS: fires whatever the session's role.</summary>
    Always,
}
