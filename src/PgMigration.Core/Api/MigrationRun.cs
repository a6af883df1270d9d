namespace PgMigration.Core.Api;

/// <summary>What a host's runner knows about one run: its state and the phase the workflow last reported.</summary>
public record MigrationRun
{
    public required string Id { get; init; }

    public required MigrationRuntimeStatus RuntimeStatus { get; init; }

    public string? Phase { get; init; }

    /// <summary>Steps of the current phase done, and how many it has (chunks while copying, tables while verifying).</summary>
    public int PhaseDone { get; init; }

    public int PhaseTotal { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Why the run failed, when it did; never carries connection details.</summary>
    public virtual string? Failure { get; init; }
}
