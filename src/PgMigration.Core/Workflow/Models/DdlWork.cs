namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// Input of the DDL activities: the stored plan's pre-data script, or step <see cref="StepIndex"/> of
/// post-data stage <see cref="Stage"/>.
/// </summary>
public sealed record DdlWork(string MigrationId, string PlanId, string Target, int Stage, int StepIndex);

public sealed record DdlApplied(int Statements);
