using PgMigration.Core.Connections;

namespace PgMigration.Core.Copy;

public sealed record DataCopyOptions
{
    /// <summary>Chunks copied at the same time, across all tables.</summary>
    public int Parallelism { get; init; } = 4;

    public int BatchSize { get; init; } = TableCopierOptions.DefaultBatchSize;

    public ChunkPlannerOptions Planner { get; init; } = new();

    public TableLayoutReaderOptions Tables { get; init; } = new();

    /// <summary>
    /// A snapshot exported with <see cref="SourceSnapshot"/> (held open by the caller): every chunk reads
    /// the source as of that one instant, a consistent copy of a live database.
    /// </summary>
    public string? SnapshotId { get; init; }

    /// <summary>
    /// Drop the copy ledger once every chunk is done. Callers that run post-data steps exactly-once
    /// through the same ledger turn this off and call <see cref="CopyLedger.DropAsync"/> at the very end.
    /// </summary>
    public bool DropLedgerWhenDone { get; init; } = true;

    public ResilienceOptions Resilience { get; init; } = new();

    public Action<ChunkProgress>? OnProgress { get; init; }

    /// <summary>Retries and other notes for people; never carries a secret.</summary>
    public Action<string>? OnMessage { get; init; }
}
