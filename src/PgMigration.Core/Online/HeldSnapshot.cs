using Npgsql.Replication;

namespace PgMigration.Core.Online;

/// <summary>
/// The snapshot a new replication slot exported, alive only while the replication connection that created
/// the slot stays open and idle: the copy's chunks import it, and it is let go once the copy is complete.
/// </summary>
public sealed class HeldSnapshot(LogicalReplicationConnection connection, string slotName, string snapshotName) : IAsyncDisposable
{
    public string SlotName { get; } = slotName;

    public string SnapshotName { get; } = snapshotName;

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
