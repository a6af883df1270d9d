using Polly;

namespace PgMigration.Core.Copy;

public sealed record TableCopierOptions
{
    /// <summary>Rows per batch; each batch is one target transaction followed by a checkpoint.</summary>
    public int BatchSize { get; init; } = 100_000;

    /// <summary>A snapshot exported by <see cref="SourceSnapshot"/>; every read imports it when set.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Identifies this migration's rows in the target's copy ledger.</summary>
    public required string PlanId { get; init; }

    /// <summary>Retries a batch after transient failures (dropped connections, terminated backends).</summary>
    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    public Action<ChunkProgress>? OnProgress { get; init; }
}
