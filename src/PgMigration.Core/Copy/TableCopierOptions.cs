using Polly;

namespace PgMigration.Core.Copy;

public sealed record TableCopierOptions
{
    /// <summary>
    /// Rows per batch when none is asked for. Each batch costs a bound query, two transactions and a
    /// checkpoint; below a few hundred thousand rows that overhead shows (the benchmark's row copy went
    /// from 74% to 92% of raw COPY's throughput between 100 000 and 500 000), and a chunk caps a batch anyway.
    /// </summary>
    public const int DefaultBatchSize = 500_000;

    /// <summary>Rows per batch; each batch is one target transaction followed by a checkpoint.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>A snapshot exported by <see cref="SourceSnapshot"/>; every read imports it when set.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Identifies this migration's rows in the target's copy ledger.</summary>
    public required string PlanId { get; init; }

    /// <summary>Retries a batch after transient failures (dropped connections, terminated backends).</summary>
    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    public Action<ChunkProgress>? OnProgress { get; init; }
}
