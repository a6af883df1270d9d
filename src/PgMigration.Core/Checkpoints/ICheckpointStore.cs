namespace PgMigration.Core.Checkpoints;

/// <summary>
/// Durable progress of one migration: a checkpoint per chunk, plus documents (the plan, the DDL) that
/// workflow steps pass by id instead of by value.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Where the checkpoints live, for people; never contains a secret.</summary>
    string Location { get; }

    Task<ChunkCheckpoint?> ReadChunkAsync(string chunkId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the checkpoint unless the store already holds one that is as far or further along
    /// (a stale or duplicated writer); returns whether it was stored.
    /// </summary>
    Task<bool> WriteChunkAsync(ChunkCheckpoint checkpoint, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ChunkCheckpoint>> ListChunksAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the chunk's record of its batch in flight (last writer wins: it is for display only).</summary>
    Task WriteStreamedAsync(StreamedBatch streamed, CancellationToken cancellationToken = default);

    /// <summary>Removes the chunk's record of its batch in flight, if any: the chunk is done.</summary>
    Task DeleteStreamedAsync(string chunkId, CancellationToken cancellationToken = default);

    /// <summary>The records of batches in flight; stale ones included (see <see cref="StreamedBatch.IsCurrent"/>).</summary>
    Task<IReadOnlyList<StreamedBatch>> ListStreamedAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes every chunk checkpoint: a copy that must start over (an online copy whose snapshot was lost).</summary>
    Task DeleteChunksAsync(CancellationToken cancellationToken = default);

    Task<string?> ReadDocumentAsync(string id, CancellationToken cancellationToken = default);

    Task WriteDocumentAsync(string id, string content, CancellationToken cancellationToken = default);

    /// <summary>Removes a document if it exists.</summary>
    Task DeleteDocumentAsync(string id, CancellationToken cancellationToken = default);
}
