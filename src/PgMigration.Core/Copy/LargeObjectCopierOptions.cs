using Polly;

namespace PgMigration.Core.Copy;

internal sealed record LargeObjectCopierOptions
{
    /// <summary>Bytes read from the source and written to the target at a time: no object is ever held whole in memory.</summary>
    public int PieceBytes { get; init; } = 1024 * 1024;

    /// <summary>A batch (one target transaction, then a checkpoint) ends with the object that reaches this many bytes.</summary>
    public long BatchBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A snapshot exported by <see cref="SourceSnapshot"/>; every read imports it when set.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Identifies this migration's sets in the target's copy ledger.</summary>
    public required string PlanId { get; init; }

    /// <summary>Retries a batch after transient failures (dropped connections, terminated backends).</summary>
    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    /// <summary>Objects are the rows of these reports.</summary>
    public Action<ChunkProgress>? OnProgress { get; init; }
}
