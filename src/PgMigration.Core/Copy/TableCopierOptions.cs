using Polly;

namespace PgMigration.Core.Copy;

internal sealed record TableCopierOptions
{
    /// <summary>
    /// Rows per batch when none is asked for: in practice one batch per chunk, because a chunk (at most
    /// ChunkPlannerOptions.ChunkBytes) already bounds what a crash can lose. Each extra batch costs a
    /// bound query over the key index, two transactions and a checkpoint; on the benchmark at scale 50,
    /// 500 000-row batches copied at 82% of raw COPY's throughput, one batch per chunk at 111%.
    /// </summary>
    public const int DefaultBatchSize = 10_000_000;

    /// <summary>Rows per batch; each batch is one target transaction followed by a checkpoint.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>A snapshot exported by <see cref="SourceSnapshot"/>; every read imports it when set.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Identifies this migration's rows in the target's copy ledger.</summary>
    public required string PlanId { get; init; }

    /// <summary>
    /// The caller made sure of the target's ledger (<see cref="CopyLedger.EnsureAsync"/>) for a run of many chunks,
    /// so each need not ask the target again: with thousands of small tables that was a round trip each.
    /// </summary>
    public bool LedgerReady { get; init; }

    /// <summary>
    /// Whether a chunk's checkpoint is written before its first batch as well as after each: it lets a status read in
    /// another process show the rows in flight, and tells a later run of an engine without the target's ledger that
    /// the chunk was begun. A batch of small tables leaves it out: their rows are in flight for milliseconds, the
    /// target's ledger says which were begun (<see cref="CopyLedger.BegunChunksAsync"/>), and with thousands of
    /// tables each extra durable file was a measurable share of the data phase.
    /// </summary>
    public bool CheckpointsStart { get; init; } = true;

    /// <summary>Retries a batch after transient failures (dropped connections, terminated backends).</summary>
    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    public Action<ChunkProgress>? OnProgress { get; init; }

    /// <summary>
    /// Whether a batch in flight reports what it has streamed (to <see cref="OnProgress"/> a few times a
    /// second, to the store every <see cref="StreamedPublishInterval"/>); false reports committed batches only.
    /// </summary>
    public bool ReportStreamed { get; init; } = true;

    /// <summary>
    /// How often a batch in flight writes what it has streamed to the checkpoint store (a
    /// <see cref="Checkpoints.StreamedBatch"/>), so that status reads in other processes move while it
    /// streams; null writes none. A few writes per batch of a large table, none per row.
    /// </summary>
    public TimeSpan? StreamedPublishInterval { get; init; } = DefaultStreamedPublishInterval;

    public static readonly TimeSpan DefaultStreamedPublishInterval = TimeSpan.FromSeconds(5);

    /// <summary>A write of <see cref="StreamedPublishInterval"/> failed; the copy goes on regardless.</summary>
    public Action<Exception>? OnStreamedPublishFailed { get; init; }

    /// <summary>
    /// Tables this migration created and nothing else uses yet. A batch that holds such a table's every
    /// row truncates it and copies with FREEZE: its rows land frozen and all-visible, so the target does
    /// not rewrite every page later to set hint bits or to freeze them against wraparound.
    /// </summary>
    public Func<TableLayout, bool> IsNewTable { get; init; } = _ => false;

    /// <summary>
    /// Below this size a new table is loaded without FREEZE: the TRUNCATE that FREEZE needs makes a new file and
    /// invalidates caches, which for a table of a few pages costs more than setting its hint bits later, and with
    /// thousands of tiny tables it was the data phase's commonest statement.
    /// </summary>
    public const long SmallestFrozenLoadBytes = 1024 * 1024;

    /// <summary>Whether a batch that holds every row of <paramref name="table"/> empties it and loads it with FREEZE.</summary>
    internal bool LoadsFrozen(TableLayout table) => table.EstimatedBytes >= SmallestFrozenLoadBytes && IsNewTable(table);
}
