using PgMigration.Core.Workflow;

namespace PgMigration.Cli.Commands;

/// <summary>What `pgmigrate migrate` was asked to do.</summary>
/// <param name="SkipExisting">Leave objects the target already has (and tables' keys, indexes and triggers) alone instead of refusing.</param>
/// <param name="Data">How rows move in the data and all modes; defaults when null.</param>
/// <param name="OwnersAndGrants">Give objects their source owners and grants (the roles must exist on the target).</param>
/// <param name="SourcePasswordFile">File whose first line is the source password, kept off the command line.</param>
/// <param name="TargetPasswordFile">File whose first line is the target password.</param>
/// <param name="Prompting">When to ask on the terminal for a password (psql's default, -w or -W).</param>
public sealed record MigrateOptions(
    string Source,
    string? Target,
    MigrationMode Mode,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    bool DryRun,
    bool SkipExisting,
    DataPhaseOptions? Data = null,
    bool OwnersAndGrants = false,
    FileInfo? SourcePasswordFile = null,
    FileInfo? TargetPasswordFile = null,
    PasswordPrompting Prompting = PasswordPrompting.WhenNeeded);
