namespace PgMigration.Core.Catalog;

/// <param name="Event">ddl_command_start, ddl_command_end, sql_drop, table_rewrite, login ...</param>
/// <param name="Tags">WHEN TAG IN (...) filter, empty for all commands.</param>
/// <param name="Function">The function it executes, as SQL.</param>
/// <param name="Enabled">O enabled, D disabled, R replica, A always.</param>
public sealed record EventTriggerInfo(ObjectAddress Address, string Name, string Event, IReadOnlyList<string> Tags, string Function, char Enabled, string? Comment);
