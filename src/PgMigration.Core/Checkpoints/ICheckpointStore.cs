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

    Task<string?> ReadDocumentAsync(string id, CancellationToken cancellationToken = default);

    Task WriteDocumentAsync(string id, string content, CancellationToken cancellationToken = default);

    /// <summary>Removes a document if it exists.</summary>
    Task DeleteDocumentAsync(string id, CancellationToken cancellationToken = default);
}
