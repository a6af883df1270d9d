using System.CommandLine;

namespace PgMigration.Cli.Commands;

/// <summary>Options more than one verb takes, described once.</summary>
internal static class CommandOptions
{
    private const string PasswordAdvice =
        "A password written into it is visible to every user of this machine in the process list (ps) for the whole run: " +
        "leave it out and give it by --{0}-password-file, PGPASSWORD or ~/.pgpass (mode 0600), or type it when asked on a terminal.";

    public static Option<string> Source() => new("--source")
    {
        Description = "Source connection: postgresql://user@host:5432/db or Host=...;Database=...;Username=... " + string.Format(System.Globalization.CultureInfo.InvariantCulture, PasswordAdvice, "source"),
        Required = true,
    };

    public static Option<string> Target(bool required) => new("--target")
    {
        Description = "Target connection, same forms as --source. " + string.Format(System.Globalization.CultureInfo.InvariantCulture, PasswordAdvice, "target"),
        Required = required,
    };

    /// <summary>A file whose first line is the password of one side: nothing of it reaches a command line.</summary>
    public static Option<FileInfo?> PasswordFile(string side) => new($"--{side}-password-file")
    {
        Description = $"File whose first line is the {side} password (keep it mode 0600); unlike a password in --{side}, no process list shows it.",
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
