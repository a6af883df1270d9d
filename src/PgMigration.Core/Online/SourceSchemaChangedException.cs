namespace PgMigration.Core.Online;

/// <summary>
/// A followed table's columns changed on the source (DDL) while the migration followed it: its changes no
/// longer fit the target's table, and applying them anyway would diverge silently.
/// </summary>
internal sealed class SourceSchemaChangedException(string message) : Exception(message);
