using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Checkpoints;

/// <summary>
/// How far one chunk has been copied. Written after each committed batch; <see cref="Sequence"/> counts
/// those commits so a store can refuse to move a checkpoint backwards. Never holds a secret.
/// </summary>
public sealed record ChunkCheckpoint
{
    public required string ChunkId { get; init; }

    /// <summary>The chunk's table (<see cref="Copy.LargeObjectPlan.Table"/> for a set of large objects).</summary>
    public required QualifiedName Table { get; init; }

    /// <summary>Batches committed so far; 0 means the chunk has started and a batch may be in flight.</summary>
    public required long Sequence { get; init; }

    /// <summary>The key (text forms) of the last committed batch's upper bound; null when none yet.</summary>
    public IReadOnlyList<string>? LastKey { get; init; }

    public long Rows { get; init; }

    public long Bytes { get; init; }

    public bool Done { get; init; }

    /// <summary>
    /// The hash of the committed rows as they streamed from the source, which verification compares with the
    /// target's own hash of what it stored; null for a table copied as text, between servers of different
    /// encodings, or in a checkpoint of an engine before this hash (whose "hash" was of another kind).
    /// </summary>
    [JsonPropertyName("rowHashSum")]
    public RowSetHash? Hash { get; init; }

    /// <summary>
    /// Stores <paramref name="committed"/>, a batch's progress after its commit; returns the store's checkpoint
    /// instead when another copier finished the chunk and said so: nothing is left for this one.
    /// </summary>
    public static async Task<ChunkCheckpoint?> StoreCommittedAsync(ICheckpointStore checkpoints, ChunkCheckpoint committed, CancellationToken cancellationToken = default) =>
        !await checkpoints.WriteChunkAsync(committed, cancellationToken)
        && await checkpoints.ReadChunkAsync(committed.ChunkId, cancellationToken) is { Done: true } finished
            ? finished
            : null;

    /// <summary>True when this checkpoint is further along than <paramref name="other"/>.</summary>
    public bool IsAhead(ChunkCheckpoint? other) =>
        other is null || (Done && !other.Done) || (Done == other.Done && Sequence > other.Sequence);
}
