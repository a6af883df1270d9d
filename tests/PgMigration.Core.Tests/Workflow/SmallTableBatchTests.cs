using System.Text;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>Tiny tables are copied, keyed, verified and analyzed a batch to an activity instead of an activity each.</summary>
public class SmallTableBatchTests
{
    private const int TinyTables = 60;

    // Sixty tiny tables with a key and an index each, t2 -> t1 between two of them, t3 -> big to a table of
    // over a megabyte, and (when asked) an index on t4 that no restore can build: plus_one calls add_one
    // unqualified, which the empty search_path of a restore does not find.
    private static string Schema(bool failingIndex)
    {
        var sql = new StringBuilder("""
            CREATE FUNCTION public.add_one(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
            CREATE FUNCTION public.plus_one(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT add_one($1)';
            CREATE TABLE public.big (id int PRIMARY KEY, note text NOT NULL);
            INSERT INTO public.big SELECT g, repeat('b', 100) || g FROM generate_series(1, 20000) g;

            """);
        for (var i = 1; i <= TinyTables; i++)
        {
            sql.AppendLine($"CREATE TABLE public.t{i} (id int PRIMARY KEY, n int NOT NULL, note text);");
            sql.AppendLine($"CREATE INDEX t{i}_n ON public.t{i} (n);");
            sql.AppendLine($"INSERT INTO public.t{i} SELECT g, g % 7, 'row ' || g FROM generate_series(1, {i * 5}) g;");
        }

        sql.AppendLine("UPDATE public.t2 SET n = 1 + id % 5;");
        sql.AppendLine("ALTER TABLE public.t2 ADD FOREIGN KEY (n) REFERENCES public.t1 (id);");
        sql.AppendLine("UPDATE public.t3 SET n = id;");
        sql.AppendLine("ALTER TABLE public.t3 ADD FOREIGN KEY (n) REFERENCES public.big (id);");
        if (failingIndex)
        {
            sql.AppendLine("CREATE INDEX t4_plus_one ON public.t4 (public.plus_one(n));");
        }

        sql.AppendLine("ANALYZE;");
        return sql.ToString();
    }

    [Fact]
    public async Task Many_tiny_tables_are_copied_keyed_verified_and_analyzed_by_a_few_activities()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("tinysrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("tinytgt");
        await source.ExecuteAsync(Schema(failingIndex: false));
        var recorder = new WorkflowRecorder();

        var outcome = await MigrateAsync(source, target, "tiny", recorder);

        // Every table copied and verified, with its keys, indexes and both foreign keys.
        Assert.Equal(TinyTables + 1, outcome.TablesVerified);
        Assert.All(outcome.Verified, v => Assert.True(v.Equal, $"{v.Table}: {v.Detail}"));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        await AssertAnalyzedAsync(target);

        // Far fewer activities than tables: the big table gets its chunk, key, verification and ANALYZE; the tiny
        // ones a batch for each slot of the parallelism; the two foreign keys one each.
        var activities = Activities(recorder);
        Assert.Equal(4, activities.Count(a => a == WorkflowNames.CopySmallTables));
        Assert.Equal(1, activities.Count(a => a == WorkflowNames.CopyChunk));
        Assert.Equal(1, activities.Count(a => a == WorkflowNames.VerifyTable));
        Assert.Equal(1, activities.Count(a => a == WorkflowNames.AnalyzeTable));
        Assert.Equal(3, activities.Count(a => a == WorkflowNames.ApplyPostDataStep));
        Assert.True(activities.Count < 20, string.Join(", ", activities));
    }

    [Fact]
    public async Task An_index_a_batch_cannot_build_is_reported_with_its_sql_while_the_rest_is_finished()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("tinyfailsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("tinyfailtgt");
        await source.ExecuteAsync(Schema(failingIndex: true));
        var recorder = new WorkflowRecorder();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => MigrateAsync(source, target, "tinyfail", recorder));

        Assert.Contains("1 object(s) failed", failure.Message);
        Assert.Contains("CREATE INDEX t4_plus_one ON public.t4 USING btree (public.plus_one(n))", failure.Message);
        Assert.Contains("add_one(integer) does not exist", failure.Message);
        Assert.DoesNotContain("differ", failure.Message);
        var expected = (await PgDump.SchemaAsync(source.ConnectionString)).Replace("CREATE INDEX t4_plus_one ON public.t4 USING btree (public.plus_one(n));\n\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(expected, await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        await AssertAnalyzedAsync(target);
        Assert.Equal(4, Activities(recorder).Count(a => a == WorkflowNames.CopySmallTables));
    }

    [Fact]
    public async Task A_batch_run_again_after_a_failure_midway_copies_only_what_did_not_commit()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("tinyrerunsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("tinyreruntgt");
        await source.ExecuteAsync(Schema(failingIndex: false));
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-tinyrerun-{Guid.NewGuid():N}");
        await using var environment = Environment(source, target, checkpoints);
        var activities = environment.Activities;
        var plan = await activities.PlanAsync(new PlanRequest("tinyrerun", "source", "target", MigrationMode.All, [], [], MigrationLimits.DefaultBatchSize));
        await activities.ApplyPreDataAsync(new DdlWork("tinyrerun", plan.PlanId, "target", 0, 0));
        var tables = plan.Tables.Where(t => t.Name.Name is "t1" or "t5" or "t6").OrderBy(t => t.Name.Name, StringComparer.Ordinal).ToList();
        var work = new SmallTablesWork("tinyrerun", plan.PlanId, "source", "target", MigrationLimits.DefaultBatchSize, plan.IndexGroup, [.. tables.Select(t => new SmallTable(t.Index, t.Name, t.IndexSteps))]);

        // The second table's rows break a check the target has and the source has not: the batch stops there,
        // the first table's rows, key and index committed.
        await target.ExecuteAsync("ALTER TABLE public.t5 ADD CONSTRAINT no_rows CHECK (id < 0)");
        await Assert.ThrowsAnyAsync<Exception>(() => activities.CopySmallTablesAsync(work));
        Assert.Equal(5L, await target.ScalarAsync<long>("SELECT count(*) FROM public.t1"));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM public.t5"));

        await target.ExecuteAsync("ALTER TABLE public.t5 DROP CONSTRAINT no_rows");
        var copied = await activities.CopySmallTablesAsync(work);

        // Run again, it skips the first table's chunk and index steps (a second copy would break its key) and does the rest.
        Assert.Equal(tables.Select(t => t.Index), copied.Tables.Select(t => t.TableIndex));
        Assert.All(copied.Tables, t => Assert.True(t.Verified.Equal, t.Verified.Detail));
        Assert.All(copied.Tables, t => Assert.Empty(t.Failures));
        Assert.Equal([5L, 25L, 30L], copied.Tables.Select(t => t.Verified.TargetRows));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('t1', 't5', 't6') AND last_analyze IS NULL"));
        Assert.Equal(3L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE tablename IN ('t1', 't5', 't6') AND indexname LIKE '%\\_n'"));
        Directory.Delete(checkpoints, recursive: true);
    }

    private static async Task<MigrationOutcome> MigrateAsync(TestDatabase source, TestDatabase target, string id, WorkflowRecorder recorder)
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-{id}-{Guid.NewGuid():N}");
        try
        {
            await using var environment = Environment(source, target, checkpoints);
            var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(environment.Activities), new LocalWorkflowOptions { Recorder = recorder });
            var input = new MigrationInput { Id = id, Source = "source", Target = "target", Parallelism = 4 };
            return await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, id, input, _ => { });
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    private static MigrationEnvironment Environment(TestDatabase source, TestDatabase target, string checkpoints) => new(
        new NamedConnections(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString }),
        new MigrationEnvironmentOptions { CheckpointsLocation = checkpoints });

    private static List<string> Activities(WorkflowRecorder recorder) =>
        [.. recorder.Histories.Values.SelectMany(h => h.Decisions).Where(d => d.Kind == WorkflowEventKind.ActivityScheduled).Select(d => d.Name!)];

    // ANALYZE ran on every table (autovacuum was off for them while they loaded), and their row estimates are in.
    private static async Task AssertAnalyzedAsync(TestDatabase target)
    {
        Assert.Equal(TinyTables + 1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'public' AND last_analyze IS NOT NULL"));
        Assert.Equal(0L, await target.ScalarAsync<long>($"SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname ~ '^t[0-9]+$' AND reltuples <> substr(relname, 2)::int * 5"));
    }
}
