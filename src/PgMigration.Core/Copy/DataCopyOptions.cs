using PgMigration.Core.Connections;

namespace PgMigration.Core.Copy;

public sealed record DataCopyOptions
{
    /// <summary>Chunks copied at the same time, across all tables.</summary>
    public int Parallelism { get; init; } = 4;

    public int BatchSize { get; init; } = 100_000;

    public ChunkPlannerOptions Planner { get; init; } = new();

    public TableLayoutReaderOptions Tables { get; init; } = new();

    /// <summary>Read every chunk from one snapshot exported at the start (consistent copy of a live source).</summary>
    public bool UseSnapshot { get; init; }

    public ResilienceOptions Resilience { get; init; } = new();

    public Action<ChunkProgress>? OnProgress { get; init; }

    /// <summary>Retries and other notes for people; never carries a secret.</summary>
    public Action<string>? OnMessage { get; init; }
}
