namespace PgMigration.Core.Catalog;

/// <param name="Event">ddl_command_start, ddl_command_end, sql_drop, table_rewrite, login ...</param>
/// <param name="Tags">WHEN TAG IN (...) filter, empty for all commands.</param>
/// <param name="Function">The function it executes, as SQL.</param>
public sealed record EventTriggerInfo(ObjectAddress Address, string Name, string Event, IReadOnlyList<string> Tags, string Function, FiringMode Enabled, string? Comment);
