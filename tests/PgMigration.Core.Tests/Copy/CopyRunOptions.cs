using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

/// <summary>How a <see cref="CopyRun"/> plans and copies: the planner's options and the copier's.</summary>
internal sealed record CopyRunOptions
{
    /// <summary>Chunks copied at the same time, across all tables.</summary>
    public int Parallelism { get; init; } = 4;

    public int BatchSize { get; init; } = TableCopierOptions.DefaultBatchSize;

    public ChunkPlannerOptions Planner { get; init; } = new();

    public TableLayoutReaderOptions Tables { get; init; } = new();

    /// <summary>A snapshot exported with <see cref="SourceSnapshot"/>: every chunk reads the source as of that instant.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Drop the copy ledger once every chunk is done, as a finished migration does.</summary>
    public bool DropLedgerWhenDone { get; init; } = true;

    public ResilienceOptions Resilience { get; init; } = new();

    public Action<ChunkProgress>? OnProgress { get; init; }

    public Action<string>? OnMessage { get; init; }
}
