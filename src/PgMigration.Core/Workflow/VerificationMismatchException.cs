namespace PgMigration.Core.Workflow;

/// <summary>
/// Every row was copied and committed, and verification found tables whose rows differ. Unlike other
/// failures, running the same migration again does not help: its chunks are recorded as done and are
/// not copied again, so the message says what does.
/// </summary>
public sealed class VerificationMismatchException(IReadOnlyList<string> differences)
    : Exception(
        $"{MessageStart} {differences.Count} table(s) that differ between source and target: {string.Join("; ", differences)}.{Environment.NewLine}" +
        "Running this migration again does not copy them again (their chunks are recorded as done). To recopy a table, empty it on the target " +
        "(TRUNCATE), then migrate it alone in mode \"data\" as a new migration (a new id; on the command line, other --checkpoints), with the target's " +
        "foreign keys and triggers on it dropped meanwhile; or compare its rows again with `pgmigrate verify --include <table>`.")
{
    /// <summary>How the message begins, for hosts whose backend keeps only a failure's message.</summary>
    public const string MessageStart = "Verification found";
}
