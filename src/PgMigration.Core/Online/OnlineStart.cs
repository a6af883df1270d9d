using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Online;

/// <summary>
/// Where an online migration's change stream begins, stored with its checkpoints: the slot and publication
/// on the source, the LSN at which the slot became consistent (the copy's snapshot is the database as of
/// that LSN, and the stream carries every commit after it), and the tables it follows.
/// </summary>
public sealed record OnlineStart(string Source, string SlotName, string PublicationName, string ConsistentLsn, IReadOnlyList<OnlineTable> Tables)
{
    public const string DocumentId = "online-start";

    /// <summary>Written when the copy is complete: from then on no chunk needs the snapshot.</summary>
    public const string CopiedDocumentId = "online-copied";

    public static async Task<OnlineStart?> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(DocumentId, cancellationToken) is { } json ? OnlineJson.Deserialize<OnlineStart>(json) : null;

    public Task StoreAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        store.WriteDocumentAsync(DocumentId, OnlineJson.Serialize(this), cancellationToken);

    public static async Task<bool> IsCopiedAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(CopiedDocumentId, cancellationToken) is not null;
}
