using System.Text.Json;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;

namespace PgMigration.Core.Tests.Copy;

public class TableCopyTests
{
    private static readonly CopyRunOptions SmallPieces = new()
    {
        BatchSize = 700,
        Parallelism = 3,
        Planner = new ChunkPlannerOptions { ChunkBytes = 64 * 1024 },
    };

    [Fact]
    public async Task Every_column_type_round_trips_exactly()
    {
        await using var scenario = await CopyScenario.CreateAsync("wide", DataFixtures.WideSchema, DataFixtures.WideRows);

        var result = await scenario.CopyAsync(SmallPieces);

        Assert.True(result.Plan.Chunks.Count > 1, "the wide table should be split into several chunks");
        Assert.Equal(2001 + 3001, result.Rows);
        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());
        foreach (var table in new[] { "wide", "wide_user_types" })
        {
            Assert.Equal(
                await CopyScenario.TableDigestAsync(scenario.Source, table, "id"),
                await CopyScenario.TableDigestAsync(scenario.Target, table, "id"));
        }
    }

    [Fact]
    public async Task A_table_copied_whole_brings_its_own_rows_and_not_those_of_the_tables_inheriting_from_it()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "inherit",
            "CREATE TABLE parent (id int PRIMARY KEY, note text); CREATE TABLE child (extra int) INHERITS (parent); CREATE TABLE bare ();",
            "INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 300) g; INSERT INTO child SELECT g, 'c' || g, g FROM generate_series(1001, 1500) g; " +
            "INSERT INTO bare DEFAULT VALUES; INSERT INTO bare DEFAULT VALUES;");

        var result = await scenario.CopyAsync();

        Assert.All(result.Plan.Chunks, chunk => Assert.Null(chunk.UpperKey));
        Assert.Equal(300 + 500 + 2, result.Rows);
        Assert.Equal(300, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM ONLY parent"));
        Assert.Equal(500, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM child"));
        Assert.Equal(2, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM bare"));
        Assert.Equal(
            await CopyScenario.TableDigestAsync(scenario.Source, "child", "id"),
            await CopyScenario.TableDigestAsync(scenario.Target, "child", "id"));
        var streamed = await scenario.VerifyStreamedAsync(result.Plan);
        Assert.True(streamed.AllMatch, streamed.Render());
        Assert.True((await scenario.VerifyAsync(result.Plan)).AllMatch);
    }

    [Fact]
    public async Task Columns_naming_objects_by_oid_copy_as_text_and_land_naming_the_same_objects()
    {
        // The target creates its tables in another order, so the same names have other OIDs there.
        await using var scenario = await CopyScenario.CreateAsync(
            "regclass",
            "CREATE TABLE IF NOT EXISTS first (); CREATE TABLE IF NOT EXISTS second (); CREATE TABLE audit (id int PRIMARY KEY, tab regclass, typ regtype, tabs regclass[]);",
            "INSERT INTO audit VALUES (1, 'first', 'integer', ARRAY['first', 'second']::regclass[]), (2, 'second', 'text', NULL);");
        await scenario.Target.ExecuteAsync("DROP TABLE first, second; CREATE TABLE second (); CREATE TABLE first ();");

        var result = await scenario.CopyAsync();

        Assert.True(result.Plan.Tables.Single(t => t.Name == "audit").UsesTextFormat);
        Assert.Equal(
            await scenario.Source.ScalarAsync<string>("SELECT string_agg(format('%s %s %s', tab, typ, tabs), ';' ORDER BY id) FROM audit"),
            await scenario.Target.ScalarAsync<string>("SELECT string_agg(format('%s %s %s', tab, typ, tabs), ';' ORDER BY id) FROM audit"));
        Assert.DoesNotContain((await scenario.VerifyStreamedAsync(result.Plan)).Tables, t => t.Table == new QualifiedName("public", "audit"));
        Assert.True((await scenario.VerifyAsync(result.Plan)).AllMatch);
    }

    [Fact]
    public async Task Arrays_and_composites_of_user_types_copy_as_text_and_the_rest_as_binary()
    {
        await using var scenario = await CopyScenario.CreateAsync("format", DataFixtures.WideSchema + DataFixtures.ShapesSchema, "SELECT 1");

        var tables = await TableLayoutReader.ReadAsync(scenario.SourceData);

        Assert.True(tables.Single(t => t.Name == "wide_user_types").UsesTextFormat);
        Assert.False(tables.Single(t => t.Name == "wide").UsesTextFormat);
        Assert.False(tables.Single(t => t.Name == "text_key").UsesTextFormat);
        Assert.DoesNotContain(tables.Single(t => t.Name == "wide").Columns, c => c.Name == "c_generated");
        Assert.DoesNotContain(tables, t => t.Name == "measurements");
        Assert.Equal("public.measurements", tables.Single(t => t.Name == "measurements_2020").PartitionOf);
    }

    [Fact]
    public async Task Keys_of_every_shape_keyless_tables_partitions_and_row_level_security_copy_completely()
    {
        await using var scenario = await CopyScenario.CreateAsync("shapes", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);

        var result = await scenario.CopyAsync(SmallPieces);

        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());
        Assert.Equal(8, report.Tables.Count);
        Assert.Equal(25, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM no_columns"));
        Assert.Equal(500, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM secured"));
        Assert.Equal(4000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM keyless"));
        Assert.False(await scenario.Target.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '_pgmigrate')"));
    }

    [Fact]
    public async Task A_batch_committed_without_its_checkpoint_is_not_duplicated_on_rerun()
    {
        await using var scenario = await CopyScenario.CreateAsync("rewind", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var first = await scenario.CopyAsync(SmallPieces);

        // A kill between commit and checkpoint leaves the target ahead of the checkpoints: rewind them to
        // every state a kill can leave (started, one batch recorded) while the rows stay on the target.
        var files = Directory.GetFiles(Path.Combine(scenario.CheckpointFolder, "chunks"));
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            var checkpoint = JsonSerializer.Deserialize<ChunkCheckpoint>(File.ReadAllText(file), JsonSerializerOptions.Web)!;
            var chunk = first.Plan.Chunks.Single(c => c.Id == checkpoint.ChunkId);
            if (chunk.Kind == ChunkKind.KeyRange)
            {
                var rewound = index % 2 == 0 || checkpoint.Sequence < 2
                    ? checkpoint with { Sequence = 0, LastKey = chunk.LowerKey, Rows = 0, Bytes = 0, Done = false, Hash = RowSetHash.Empty }
                    : await FirstBatchCheckpointAsync(scenario, first.Plan, chunk, checkpoint);
                File.WriteAllText(file, JsonSerializer.Serialize(rewound, JsonSerializerOptions.Web));
            }
        }

        var second = await scenario.CopyAsync(SmallPieces);

        var report = await scenario.VerifyAsync(second.Plan);
        Assert.True(report.AllMatch, report.Render());
        Assert.Equal(first.Plan.Id, second.Plan.Id);

        // The batches the checkpoints lost are the target's record's: so is their streamed hash.
        var streamed = await scenario.VerifyStreamedAsync(second.Plan);
        Assert.True(streamed.AllMatch, streamed.Render());
        Assert.Equal(first.Plan.Tables.Count, streamed.Tables.Count);
    }

    [Fact]
    public async Task A_keyless_chunk_committed_without_its_checkpoint_is_found_in_the_ledger()
    {
        await using var scenario = await CopyScenario.CreateAsync("ledger", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var runner = scenario.Runner(SmallPieces);
        var plan = await runner.LoadOrCreatePlanAsync(scenario.Source.Name);
        var keyless = plan.Tables.Single(t => t.Name == "keyless");
        await CopyLedger.EnsureAsync(scenario.TargetData);
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions { PlanId = plan.Id });

        foreach (var chunk in plan.Chunks.Where(c => c.Table.Name == "keyless"))
        {
            var copied = await copier.CopyChunkAsync(keyless, chunk);
            File.Delete(Path.Combine(scenario.CheckpointFolder, "chunks", chunk.Id + ".json"));
            var again = await copier.CopyChunkAsync(keyless, chunk);
            Assert.True(again.Done);
            Assert.NotNull(again.Hash);
            Assert.Equal(copied.Hash, again.Hash);
        }

        Assert.Equal(4000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM keyless"));
    }

    [Fact]
    public async Task A_new_table_copied_in_one_batch_lands_frozen_and_a_rerun_after_a_lost_checkpoint_copies_it_once()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "frozen", "CREATE TABLE t (id int PRIMARY KEY, note text);", "INSERT INTO t SELECT g, repeat('n', 80) || g FROM generate_series(1, 20000) g; ANALYZE;");
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        var (table, chunk) = (plan.Tables.Single(), plan.Chunks.Single());
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions { PlanId = plan.Id, IsNewTable = _ => true });
        await copier.CopyChunkAsync(table, chunk);

        // A kill between the commit and its checkpoint: the rows are in, the checkpoint only says "started".
        var started = new ChunkCheckpoint { ChunkId = chunk.Id, Table = table.Id, Sequence = 0 };
        File.WriteAllText(Path.Combine(scenario.CheckpointFolder, "chunks", chunk.Id + ".json"), JsonSerializer.Serialize(started, JsonSerializerOptions.Web));
        var again = await copier.CopyChunkAsync(table, chunk);

        Assert.True(again.Done);
        Assert.Equal(20000, again.Rows);
        Assert.Equal(await CopyScenario.TableDigestAsync(scenario.Source, "t", "id"), await CopyScenario.TableDigestAsync(scenario.Target, "t", "id"));
        await scenario.Target.ExecuteAsync("CREATE EXTENSION pg_visibility");
        Assert.True(await scenario.Target.ScalarAsync<bool>(
            "SELECT all_frozen > 0 AND all_frozen = pg_relation_size('t') / 8192 FROM pg_visibility_map_summary('t')"));
    }

    // What the first batch's checkpoint said: its bound, and the count and hash of the rows up to it.
    private static async Task<ChunkCheckpoint> FirstBatchCheckpointAsync(CopyScenario scenario, DataPlan plan, CopyChunk chunk, ChunkCheckpoint last)
    {
        var upper = await FirstBatchUpperAsync(scenario, plan, chunk);
        await using var connection = await scenario.SourceData.OpenConnectionAsync();
        var hasher = new StreamedRowHasher(plan.TableOf(chunk), comparable: true);
        await using (var copy = await connection.BeginRawBinaryCopyAsync(ChunkSql.CopyOut(plan.TableOf(chunk), ChunkSql.KeyRange(plan.TableOf(chunk), chunk.LowerKey, upper), withRowHash: true)))
        {
            var buffer = new byte[8192];
            var output = new byte[buffer.Length + StreamedRowHasher.OutputSlack];
            int read;
            while ((read = await copy.ReadAsync(buffer, 0, buffer.Length)) > 0)
            {
                hasher.Observe(buffer.AsSpan(0, read), output);
            }
        }

        return last with { Sequence = 1, Done = false, LastKey = upper, Rows = hasher.Rows, Hash = hasher.Hash };
    }

    private static async Task<IReadOnlyList<string>?> FirstBatchUpperAsync(CopyScenario scenario, DataPlan plan, CopyChunk chunk)
    {
        var table = plan.TableOf(chunk);
        await using var connection = await scenario.SourceData.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            ChunkSql.NextBatchUpperKey(table, ChunkSql.KeyRange(table, chunk.LowerKey, chunk.UpperKey), SmallPieces.BatchSize), connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Enumerable.Range(0, table.KeyColumns.Count).Select(reader.GetString).ToList() : chunk.UpperKey;
    }
}
