using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The checks of the target that refuse a new migration before anything of it is written, on either
/// server or in the checkpoints: the server version, extensions it cannot install, roles it lacks, and
/// objects it already has that the pre-data would create (unless they are to be kept as they are).
/// One preflight for every mode and host.
/// </summary>
internal static class TargetPreflight
{
    /// <summary>Refuses what the target cannot take; returns the plan it can, without event triggers when only a superuser could create them (said in <see cref="SchemaPlan.LeftOut"/>).</summary>
    public static async Task<SchemaPlan> CheckAsync(NpgsqlDataSource target, string targetDisplay, SchemaPlan schema, CancellationToken cancellationToken = default)
    {
        if (schema.PreData.Count == 0 && schema.RequiredRoles.Count == 0)
        {
            return schema;
        }

        var report = await new TargetInspector(target).InspectAsync(new SchemaScript(schema.PreData, []), schema.Extensions, schema.RequiredRoles, cancellationToken);
        var lacking = schema.TargetVersionRequirements.Where(r => r.MinimumVersionNumber > report.ServerVersionNumber).ToList();
        if (lacking.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} runs PostgreSQL {report.ServerVersionNumber / 10000}, which cannot hold what the source uses: " +
                $"{Shown(lacking.Select(r => $"{r.What}, from PostgreSQL {r.MinimumVersionNumber / 10000}").ToList())}. " +
                $"Migrate to PostgreSQL {lacking.Max(r => r.MinimumVersionNumber) / 10000} or later, or drop or change those objects on the source. Nothing was written.");
        }

        if (report.MissingExtensions.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} cannot install the extension(s) {string.Join(", ", report.MissingExtensions)}. Install their packages on the target server first.");
        }

        if (report.MissingRoles.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} has no role(s) {Shown(report.MissingRoles)}, which policies or owners and grants need. " +
                "Create them on the target first (roles are not migrated), or migrate without owners and grants. Nothing was written.");
        }

        if (report.Conflicts.Count > 0 && !schema.SkipExisting)
        {
            throw ObjectsExist(targetDisplay, report);
        }

        return report.IsSuperuser ? schema : WithoutEventTriggers(schema);
    }

    private static SchemaPlan WithoutEventTriggers(SchemaPlan schema)
    {
        var triggers = schema.PostDataGroups.SelectMany(g => g).Where(s => s.Kind == SchemaObjectKind.EventTrigger).ToList();
        if (triggers.Count == 0)
        {
            return schema;
        }

        return schema with
        {
            PostDataGroups = [.. schema.PostDataGroups.Select(g => (IReadOnlyList<SchemaStep>)[.. g.Where(s => s.Kind != SchemaObjectKind.EventTrigger)]).Where(g => g.Count > 0)],
            LeftOut = [.. schema.LeftOut, .. triggers.Select(t => $"not migrated: event trigger {t.Name}: creating event triggers needs a superuser on the target; create it there as one")],
        };
    }

    /// <summary>
    /// Mode data copies rows into tables the target has: refuses when some are missing, or when foreign keys
    /// or triggers on them would check or change the rows as they arrive, in an order no copy can promise.
    /// </summary>
    public static async Task RefuseForDataAsync(NpgsqlDataSource target, string targetDisplay, DataPlan plan, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand("""
            SELECT w.schema || '.' || w.name, c.oid IS NOT NULL,
                   coalesce((SELECT array_agg(format('%I on %s', con.conname, c.oid::regclass) ORDER BY con.conname) FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype = 'f'), '{}'),
                   coalesce((SELECT array_agg(format('%I on %s', tg.tgname, c.oid::regclass) ORDER BY tg.tgname) FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal AND tg.tgenabled <> 'D'), '{}')
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(schema, name, position)
            LEFT JOIN pg_namespace n ON n.nspname = w.schema
            LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name AND c.relkind IN ('r', 'p')
            ORDER BY w.position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = plan.Tables.Select(t => t.Schema).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = plan.Tables.Select(t => t.Name).ToArray() });
        var missing = new List<string>();
        var foreignKeys = new List<string>();
        var triggers = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.GetBoolean(1))
                {
                    missing.Add(reader.GetString(0));
                }

                foreignKeys.AddRange(reader.GetFieldValue<string[]>(2));
                triggers.AddRange(reader.GetFieldValue<string[]>(3));
            }
        }

        if (missing.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} has no table {Shown(missing)}, which mode \"data\" copies rows into. " +
                "Create the schema first (mode \"schema\"), or migrate schema and rows together with mode \"all\" into an empty database. Nothing was written.");
        }

        if (foreignKeys.Count > 0 || triggers.Count > 0)
        {
            var what = string.Join(" and ", new[] { (foreignKeys, "foreign key(s)"), (triggers, "trigger(s)") }.Where(k => k.Item1.Count > 0).Select(k => $"{k.Item2} {Shown(k.Item1)}"));
            throw new MigrationRefusedException(
                $"The target {targetDisplay} has {what} on tables this migration loads: they would check or change the rows as they arrive, " +
                "and tables are copied in parallel, biggest first, not parent before child. Drop them (or disable the triggers) before copying and create them again after, " +
                "or migrate with mode \"all\" into an empty database, which adds them once the rows are in. Nothing was written.");
        }
    }

    /// <summary>
    /// Rows already in a target table that neither a checkpoint nor the target's ledger accounts for would be
    /// duplicated (or break its key): refuses before copying anything, naming the tables.
    /// </summary>
    public static async Task RefuseUnknownRowsAsync(NpgsqlDataSource target, string targetDisplay, ICheckpointStore store, DataPlan plan, CancellationToken cancellationToken = default)
    {
        var started = (await store.ListChunksAsync(cancellationToken)).Select(c => c.Table).ToHashSet();
        var begun = await CopyLedger.BegunChunksAsync(target, plan.Id, cancellationToken);
        started.UnionWith(plan.Chunks.Where(c => begun.Contains(c.Id)).Select(c => c.Table));
        var occupied = new List<string>();
        foreach (var table in plan.Tables.Where(t => !started.Contains(t.Id)))
        {
            await using var command = target.CreateCommand($"SELECT EXISTS (SELECT FROM ONLY {table.QualifiedName})");
            if ((bool)(await command.ScalarAsync(cancellationToken))!)
            {
                occupied.Add(table.DisplayName);
            }
        }

        if (occupied.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} already has rows in {string.Join(", ", occupied.Take(20))}{(occupied.Count > 20 ? ", ..." : string.Empty)}, " +
                "which this migration's checkpoints know nothing about. Empty those tables (TRUNCATE) or migrate into a fresh database; " +
                "to resume an earlier run, start it again with the same id (command line: the same --checkpoints).");
        }
    }

    /// <summary>
    /// Large objects on the target with oids of sets no checkpoint accounts for: the copy clears a set's oids
    /// before it writes them, so it refuses instead of removing objects that are not its own.
    /// </summary>
    public static async Task RefuseUnknownLargeObjectsAsync(NpgsqlDataSource target, string targetDisplay, ICheckpointStore store, DataPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.LargeObjects is not { } largeObjects)
        {
            return;
        }

        var started = (await store.ListChunksAsync(cancellationToken)).Select(c => c.ChunkId).ToHashSet(StringComparer.Ordinal);
        var pending = largeObjects.Sets.Where(s => !started.Contains(s.Id)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        await using var command = target.CreateCommand("""
            SELECT count(*), min(m.oid)::int8, max(m.oid)::int8
              FROM pg_catalog.pg_largeobject_metadata m
              JOIN unnest($1::int8[], $2::int8[]) AS s(after, last) ON m.oid::int8 > s.after AND m.oid::int8 <= s.last
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = pending.Select(s => s.AfterOid).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = pending.Select(s => s.LastOid).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} already has {reader.GetInt64(0)} large object(s) with oids among the source's ({reader.GetInt64(1)} .. {reader.GetInt64(2)}), " +
                "which this migration's checkpoints know nothing about. Remove them (lo_unlink) or migrate into a fresh database; " +
                "to resume an earlier run, start it again with the same id (command line: the same --checkpoints). Nothing was written.");
        }
    }

    public static MigrationRefusedException ObjectsExist(string targetDisplay, TargetReport report)
    {
        var shown = string.Join("; ", report.Conflicts.Take(10).Select(c => c.Description));
        return new MigrationRefusedException(
            $"The target {targetDisplay} already has {report.Conflicts.Count} object(s) this migration would create ({shown}{(report.Conflicts.Count > 10 ? "; ..." : string.Empty)}). " +
            "Migrate into an empty database or drop those objects, keep them as they are with skip existing (--skip-existing on the command line, \"skipExisting\": true over HTTP), " +
            "or copy rows into existing tables with mode \"data\". Nothing was written.");
    }

    private static string Shown(IReadOnlyList<string> names) => string.Join(", ", names.Take(10)) + (names.Count > 10 ? $" and {names.Count - 10} more" : string.Empty);
}
