using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Online;

/// <summary>
/// A request to cut over, written to the migration's checkpoint store by <c>pgmigrate cutover</c> or
/// <c>POST /api/migrations/{id}/cutover</c>. The follow activity looks for it every second wherever it runs,
/// as it does for a cancel, so the request reaches the stream that must stop, on either host.
/// </summary>
/// <param name="LockSource">Make the migrated tables read-only on the source (LOCK ... IN EXCLUSIVE MODE, reads go on) for the cut over.</param>
public sealed record CutoverRequest(DateTimeOffset RequestedAt, bool LockSource)
{
    public const string DocumentId = "cutover-requested";

    /// <summary>The cut over's report, written before the slot is dropped: a rerun returns it instead of cutting over again.</summary>
    public const string DoneDocumentId = "cutover-done";

    public static async Task<CutoverRequest?> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(DocumentId, cancellationToken) is { } json ? OnlineJson.Deserialize<CutoverRequest>(json) : null;

    public Task StoreAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        store.WriteDocumentAsync(DocumentId, OnlineJson.Serialize(this), cancellationToken);
}
