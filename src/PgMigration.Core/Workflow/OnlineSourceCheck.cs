using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;
using PgMigration.Core.Online;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Workflow;

/// <summary>
/// What an online migration needs of its source, checked before anything is written anywhere: logical
/// WAL, a free replication slot, the right to replicate, and tables whose updates and deletes name their
/// row (a primary key or a replica identity index). Refuses with every problem and its fix at once.
/// </summary>
internal static class OnlineSourceCheck
{
    /// <summary>Non-transactional logical messages (heartbeats, the cut-over sentinel) in pgoutput need PostgreSQL 14.</summary>
    public const int MinimumServerVersion = 140000;

    /// <returns>The tables to follow, with the columns their changes carry and the columns that address their rows.</returns>
    public static async Task<IReadOnlyList<OnlineTable>> RefuseAsync(
        NpgsqlDataSource source, string sourceDisplay, string slotName, IReadOnlyList<TableLayout> tables, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        await using (var command = source.CreateCommand("""
            SELECT current_setting('wal_level'), current_setting('server_version_num')::int,
                   r.rolsuper OR r.rolreplication,
                   current_setting('max_replication_slots')::int,
                   (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int,
                   EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)
            FROM pg_catalog.pg_roles r WHERE r.rolname = current_user
            """))
        {
            command.Parameters.AddWithValue(slotName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (walLevel, version, mayReplicate, maxSlots, slots, ours) =
                (reader.GetString(0), reader.GetInt32(1), reader.GetBoolean(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(5));
            if (walLevel != "logical")
            {
                problems.Add($"wal_level is {walLevel}, not logical: set wal_level = logical on the source and restart it (in Azure: the server parameter wal_level, or azure.replication_support = logical)");
            }

            if (version < MinimumServerVersion)
            {
                problems.Add("the source runs PostgreSQL older than 14, whose pgoutput cannot carry the messages the follow phase needs: migrate it offline, or upgrade it first");
            }

            if (!mayReplicate)
            {
                problems.Add("the source user may not replicate: ALTER ROLE <user> REPLICATION (or sign in as an administrator such as an azure_pg_admin member with replication rights)");
            }

            if (!ours && slots >= maxSlots)
            {
                problems.Add($"all {maxSlots} replication slots are in use (max_replication_slots): drop an unused slot (SELECT pg_drop_replication_slot(name)) or raise max_replication_slots and restart the source");
            }
        }

        var followed = new List<OnlineTable>();
        var unaddressable = new List<string>();
        await using (var command = source.CreateCommand("""
            SELECT c.relreplident::text,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.pg_index i
                      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE i.indrelid = c.oid AND CASE WHEN c.relreplident = 'i' THEN i.indisreplident ELSE i.indisprimary END),
                   (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''),
                   (SELECT array_agg(a.atttypid::int8 ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2
            """))
        {
            var schema = command.Parameters.Add(new NpgsqlParameter<string>());
            var name = command.Parameters.Add(new NpgsqlParameter<string>());
            foreach (var table in tables)
            {
                schema.Value = table.Schema;
                name.Value = table.Name;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    continue;
                }

                var identity = CatalogCodes.ReplicaIdentityOf(reader.GetString(0));
                var key = reader.IsDBNull(1) ? [] : reader.GetFieldValue<string[]>(1);
                if (identity == ReplicaIdentity.Nothing || key.Length == 0)
                {
                    unaddressable.Add(table.DisplayName);
                    continue;
                }

                var columns = reader.IsDBNull(2) ? [] : reader.GetFieldValue<string[]>(2);
                var types = reader.IsDBNull(3) ? [] : reader.GetFieldValue<long[]>(3);
                followed.Add(new OnlineTable(table.Schema, table.Name, columns, [.. types.Select(t => (uint)t)], key));
            }
        }

        if (unaddressable.Count > 0)
        {
            problems.Add(
                $"{unaddressable.Count} table(s) have neither a primary key nor a replica identity index, so their updates and deletes cannot name a row: {string.Join(", ", unaddressable)}. " +
                "Add a primary key, or ALTER TABLE ... REPLICA IDENTITY USING INDEX <a unique index on NOT NULL columns>, or leave them out with --exclude");
        }

        if (problems.Count > 0)
        {
            throw new MigrationRefusedException($"The source {sourceDisplay} cannot be migrated online:\n  " + string.Join("\n  ", problems));
        }

        return followed;
    }
}
