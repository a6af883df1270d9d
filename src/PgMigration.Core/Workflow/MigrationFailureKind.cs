namespace PgMigration.Core.Workflow;

/// <summary>What a failed run's failure calls for: a rerun that resumes, or what its own message says.</summary>
public enum MigrationFailureKind
{
    /// <summary>Fix the cause and start the same id again: it resumes from its checkpoints.</summary>
    Resumable,

    /// <summary>Verification found differences; a rerun would not recopy them (the message says what to do).</summary>
    VerificationMismatch,
}
