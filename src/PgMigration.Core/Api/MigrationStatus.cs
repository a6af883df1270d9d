namespace PgMigration.Core.Api;

/// <summary>The body of <c>GET /api/migrations/{id}</c>.</summary>
public sealed record MigrationStatus
{
    public required string Id { get; init; }

    public required MigrationRuntimeStatus RuntimeStatus { get; init; }

    public string? Phase { get; init; }

    /// <summary>Steps of the current phase done, and how many it has (chunks while copying, tables while verifying).</summary>
    public int PhaseDone { get; init; }

    public int PhaseTotal { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public IReadOnlyList<TableProgress> Tables { get; init; } = [];

    public IReadOnlyList<string> Errors { get; init; } = [];
}
