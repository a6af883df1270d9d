namespace PgMigration.Cli.Commands;

/// <summary>One server as a command line names it: which side, its connection and its password file, if any.</summary>
internal sealed record ServerArgument(string Side, string Connection, FileInfo? PasswordFile);
