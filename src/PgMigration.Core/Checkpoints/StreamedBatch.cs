namespace PgMigration.Core.Checkpoints;

/// <summary>
/// What the batch in flight on one chunk has streamed and not committed yet, published a few times per
/// batch so that a status read in another process (a Durable activity runs on any instance; pgmigrate
/// status is a process of its own) moves while a large batch streams. It counts only while its chunk's
/// checkpoint still stands at <see cref="AfterSequence"/>: once the batch commits (or another copier's
/// does) the checkpoint holds those rows and this record is stale. Never holds a secret.
/// </summary>
public sealed record StreamedBatch
{
    /// <summary>
    /// A record not refreshed for this long belongs to a copy that died or stalled: its rows are not shown.
    /// Generous beside the publishing interval, since the stream publishes only while rows move.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public required string ChunkId { get; init; }

    /// <summary>The <see cref="ChunkCheckpoint.Sequence"/> the batch started from.</summary>
    public required long AfterSequence { get; init; }

    public long Rows { get; init; }

    public long Bytes { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether this record still describes rows in flight on top of <paramref name="checkpoint"/>, at <paramref name="now"/>.</summary>
    public bool IsCurrent(ChunkCheckpoint? checkpoint, DateTimeOffset now) =>
        checkpoint is { Done: false } && checkpoint.Sequence == AfterSequence && now - UpdatedAt < StaleAfter;
}
