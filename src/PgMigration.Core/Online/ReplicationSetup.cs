using Azure.Core;
using Npgsql;
using Npgsql.Replication;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Online;

/// <summary>
/// Creates and drops an online migration's publication and pgoutput slot on the source. The slot exports
/// its snapshot: the copy reads the database as of the slot's consistent point, the stream carries every
/// commit after it, so the two meet with nothing lost or applied twice.
/// </summary>
internal static class ReplicationSetup
{
    /// <summary>Creates the publication for exactly <paramref name="tables"/> and the slot; the returned snapshot must be held for the copy.</summary>
    public static async Task<(HeldSnapshot Snapshot, string ConsistentLsn)> CreateAsync(
        NpgsqlDataSource source, ConnectionSpec sourceSpec, TokenCredential? credential, string slotName, string publicationName, IReadOnlyList<OnlineTable> tables, CancellationToken cancellationToken = default)
    {
        // The publication must exist before the slot: pgoutput looks it up as of each change it decodes.
        var list = string.Join(", ", tables.Select(t => SqlText.Qualified(t.Schema, t.Name)));
        await using (var create = source.CreateCommand($"CREATE PUBLICATION {SqlText.Identifier(publicationName)}{(tables.Count > 0 ? $" FOR TABLE {list}" : string.Empty)}"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connection = await ReplicationConnector.OpenAsync(sourceSpec, credential, cancellationToken);
        try
        {
            var slot = await connection.CreatePgOutputReplicationSlot(slotName, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
            return (new HeldSnapshot(connection, slotName, slot.SnapshotName!), slot.ConsistentPoint.ToString());
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops the slot (ending the session that streams from it, if any) and the publication; both may be gone already.</summary>
    public static async Task DropAsync(NpgsqlDataSource source, string slotName, string publicationName, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(cancellationToken);
                foreach (var sql in new[]
                {
                    "SELECT pg_terminate_backend(active_pid) FROM pg_catalog.pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL",
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = $1",
                })
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.AddWithValue(slotName);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                break;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // The terminated walsender releases the slot a moment after it is signalled.
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }

        await using var unpublish = source.CreateCommand($"DROP PUBLICATION IF EXISTS {SqlText.Identifier(publicationName)}");
        await unpublish.ExecuteNonQueryAsync(cancellationToken);
    }
}
