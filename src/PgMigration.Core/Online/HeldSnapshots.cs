using System.Collections.Concurrent;

namespace PgMigration.Core.Online;

/// <summary>The exported snapshots this process holds, one per online migration in its copy phase.</summary>
public sealed class HeldSnapshots : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HeldSnapshot> held = new(StringComparer.Ordinal);

    /// <summary>The snapshot of <paramref name="migrationId"/>'s slot <paramref name="slotName"/>, if this process holds it.</summary>
    public HeldSnapshot? Find(string migrationId, string slotName) =>
        held.TryGetValue(migrationId, out var snapshot) && snapshot.SlotName == slotName ? snapshot : null;

    public async Task HoldAsync(string migrationId, HeldSnapshot snapshot)
    {
        if (held.TryRemove(migrationId, out var previous))
        {
            await previous.DisposeAsync();
        }

        held[migrationId] = snapshot;
    }

    public async Task ReleaseAsync(string migrationId)
    {
        if (held.TryRemove(migrationId, out var snapshot))
        {
            await snapshot.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in held.Keys.ToList())
        {
            await ReleaseAsync(id);
        }
    }
}
