namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the plan activity: what to migrate, by connection name.</summary>
public sealed record PlanRequest(
    string MigrationId,
    string Source,
    string Target,
    MigrationMode Mode,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    int BatchSize,
    int? ChunkMegabytes = null,
    bool SkipExisting = false,
    bool OwnersAndGrants = false,
    bool Online = false,
    int Parallelism = MigrationLimits.DefaultParallelism);
