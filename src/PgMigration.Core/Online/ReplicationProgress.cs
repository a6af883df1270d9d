using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Online;

/// <summary>
/// How far the follow phase is: changes applied (in all runs) and their rate in this one, how far the
/// target is behind the source in WAL bytes and seconds, and how much WAL the slot makes the source keep.
/// Stored with the checkpoints, so <c>status</c> shows it without touching either database.
/// </summary>
public sealed record ReplicationProgress(
    long ChangesApplied,
    double ChangesPerSecond,
    long LagBytes,
    double LagSeconds,
    long RetainedWalBytes,
    string AppliedLsn,
    DateTimeOffset UpdatedAt)
{
    public const string DocumentId = "replication-progress";

    /// <summary>WAL kept for the slot beyond which <c>status</c> warns: the source's disk fills while the slot holds it.</summary>
    public const long RetainedWalWarningBytes = 1024L * 1024 * 1024;

    public bool RetainsTooMuchWal => RetainedWalBytes >= RetainedWalWarningBytes;

    public static async Task<ReplicationProgress?> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(DocumentId, cancellationToken) is { } json ? OnlineJson.Deserialize<ReplicationProgress>(json) : null;

    public Task StoreAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        store.WriteDocumentAsync(DocumentId, OnlineJson.Serialize(this), cancellationToken);

    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{ChangesApplied:N0} changes applied ({ChangesPerSecond:N0}/s), lag {LagBytes / 1024.0:N0} kB / {LagSeconds:0.0}s, slot keeps {RetainedWalBytes / 1e6:N1} MB of WAL");
}
