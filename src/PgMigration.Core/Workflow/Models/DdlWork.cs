namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// Input of the DDL activities: the stored plan's pre-data script, or step <see cref="StepIndex"/> of
/// post-data stage <see cref="Stage"/>. <see cref="Source"/> is read by the steps that copy a value from it
/// (sequence values).
/// </summary>
public sealed record DdlWork(string MigrationId, string PlanId, string Target, int Stage, int StepIndex, string? Source = null);

public sealed record DdlApplied(int Statements)
{
    /// <summary>
    /// The target rejected the step's object: the error and the SQL. The migration goes on with the rest
    /// and reports it at the end, instead of leaving everything after it undone.
    /// </summary>
    public string? Failure { get; init; }
}
