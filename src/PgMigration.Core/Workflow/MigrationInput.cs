namespace PgMigration.Core.Workflow;

/// <summary>
/// What a migration was asked to do. Connections travel by name only, so this record is safe to store
/// as an orchestration input: it never holds a password or a connection string.
/// </summary>
public sealed record MigrationInput
{
    public required string Id { get; init; }

    public required string Source { get; init; }

    public required string Target { get; init; }

    public MigrationMode Mode { get; init; } = MigrationMode.All;

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public int Parallelism { get; init; } = MigrationLimits.DefaultParallelism;

    public int BatchSize { get; init; } = MigrationLimits.DefaultBatchSize;

    /// <summary>
    /// Largest chunk, the unit of parallel copy work, in MB of table data: smaller tables copy whole. Null leaves it to
    /// the planner, which splits only the tables that would otherwise hold up the other workers (<see cref="Copy.ChunkPlannerOptions.BalancedWorkers"/>).
    /// </summary>
    public int? ChunkMegabytes { get; init; }

    /// <summary>Leave objects the target already has as they are instead of refusing to run.</summary>
    public bool SkipExisting { get; init; }

    /// <summary>Give objects their source owners and grants; the roles must exist on the target.</summary>
    public bool OwnersAndGrants { get; init; }

    /// <summary>
    /// Copy from a replication slot's snapshot, then apply the source's changes until a cut over is requested
    /// (modes all and data).
    /// </summary>
    public bool Online { get; init; }

    /// <summary>How long each follow activity streams before it returns: keep it well inside the host's activity timeout.</summary>
    public int FollowActivitySeconds { get; init; } = MigrationLimits.DefaultFollowActivitySeconds;
}
