using System.CommandLine;

namespace PgMigration.Cli.Commands;

/// <summary>Options more than one verb takes, described once.</summary>
internal static class CommandOptions
{
    public static Option<string> Source() => new("--source")
    {
        Description = "Source connection: postgresql://user@host:5432/db or Host=...;Database=...;Username=... (password from PGPASSWORD or ~/.pgpass).",
        Required = true,
    };

    public static Option<string[]> Include() => new("--include")
    {
        Description = "Only these schemas or tables: glob patterns on schema or schema.table (repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Leave out these schemas or tables: glob patterns on schema or schema.table (repeatable).",
        AllowMultipleArgumentsPerToken = true,
    };
}
