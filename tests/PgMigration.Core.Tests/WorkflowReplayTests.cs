using PgMigration.Core.Connections;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class WorkflowReplayTests
{
    private static readonly MigrationInput Input = new()
    {
        Id = "replay-1",
        Source = "source",
        Target = "target",
        Parallelism = 3,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Replaying_a_recorded_run_makes_identical_decisions(int seed)
    {
        var recorder = new WorkflowRecorder();
        var registry = WorkflowRegistry.ForMigrations(new ScriptedActivities(seed));
        var host = new LocalWorkflowHost(registry, new LocalWorkflowOptions { Recorder = recorder, MaxConcurrentActivities = 8 });

        await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, Input.Id, Input, _ => { });

        // The parent and one sub-workflow for the table with more chunks than the threshold.
        Assert.Equal(2, recorder.Histories.Count);
        foreach (var history in recorder.Histories.Values)
        {
            var replayed = WorkflowReplayer.Replay(history, registry.Workflow(history.Name));
            Assert.Equal(history.Decisions, replayed);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_foreign_key_is_added_once_as_soon_as_both_of_its_tables_are_copied_and_keyed(int seed)
    {
        // audit.log's last chunk stays in until the orders -> small key has begun: that key must not wait
        // for the whole data phase (the activity fails after 10 s if it does).
        var activities = new ScriptedActivities(seed) { Hold = (4, 2, "post 1/0") };
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(activities), new LocalWorkflowOptions { MaxConcurrentActivities = 8 });

        await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, Input.Id, Input, _ => { });

        var journal = activities.Journal;
        int Position(string entry) => journal.IndexOf(entry) is var at and >= 0 ? at : throw new Xunit.Sdk.XunitException($"'{entry}' never happened: {string.Join(", ", journal)}");
        int LastChunk(int table) => journal.FindLastIndex(e => e.StartsWith($"copied {table}/", StringComparison.Ordinal));

        // orders (1) -> small (0), group 1: after both tables' rows and keys (index steps 1 and 0).
        var ordersKey = Position("post 1/0");
        Assert.True(ordersKey > LastChunk(1) && ordersKey > LastChunk(0), string.Join(", ", journal));
        Assert.True(ordersKey > Position("applied 0/1") && ordersKey > Position("applied 0/0"), string.Join(", ", journal));

        // audit.log (4) -> sales.events (2), group 2: audit.log has no index; sales.events has index step 2.
        var auditKey = Position("post 2/0");
        Assert.True(auditKey > LastChunk(4) && auditKey > LastChunk(2) && auditKey > Position("applied 0/2"), string.Join(", ", journal));

        // One at a time: two keys between the same tables could otherwise deadlock.
        Assert.True(Position("post 2/0") > Position("applied 1/0") || Position("post 1/0") > Position("applied 2/0"), string.Join(", ", journal));

        // Each exactly once, and both before the post-data group after them (the trigger, group 3).
        Assert.Single(journal, e => e == "post 1/0");
        Assert.Single(journal, e => e == "post 2/0");
        Assert.True(Position("post 3/0") > Position("applied 1/0") && Position("post 3/0") > Position("applied 2/0"), string.Join(", ", journal));
        Assert.Single(journal, e => e == "post 3/0");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_copied_table_is_verified_once_as_soon_as_its_rows_are_in(int seed)
    {
        var activities = new ScriptedActivities(seed);
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(activities), new LocalWorkflowOptions { MaxConcurrentActivities = 8 });

        var outcome = await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, Input.Id, Input, _ => { });

        var journal = activities.Journal;
        Assert.Equal(ScriptedActivities.Tables.Select(t => t.Name.Sql).Order(StringComparer.Ordinal), outcome.Verified.Select(v => v.Table.Sql));
        foreach (var table in ScriptedActivities.Tables)
        {
            var verified = journal.IndexOf($"verified {table.Index}");
            Assert.Single(journal, e => e == $"verified {table.Index}");
            Assert.True(verified > journal.FindLastIndex(e => e.StartsWith($"copied {table.Index}/", StringComparison.Ordinal)), string.Join(", ", journal));
        }

        // Copied tables are verified in the data phase, while others copy; only what has no chunk waits for the end.
        Assert.True(journal.IndexOf("verified 0") < journal.IndexOf("finished"), string.Join(", ", journal));
        Assert.True(journal.IndexOf("verified 2") < journal.IndexOf("post 3/0"), string.Join(", ", journal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_copied_table_is_analyzed_once_after_its_rows_and_indexes(int seed)
    {
        var activities = new ScriptedActivities(seed);
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(activities), new LocalWorkflowOptions { MaxConcurrentActivities = 8 });

        await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, Input.Id, Input, _ => { });

        var journal = activities.Journal;
        foreach (var table in ScriptedActivities.Tables)
        {
            var analyzed = journal.IndexOf($"analyzed {table.Index}");
            Assert.True(analyzed >= 0, $"table {table.Index} was never analyzed: {string.Join(", ", journal)}");
            Assert.Single(journal, e => e == $"analyzed {table.Index}");
            Assert.True(analyzed > journal.FindLastIndex(e => e.StartsWith($"copied {table.Index}/", StringComparison.Ordinal)), string.Join(", ", journal));
            foreach (var step in table.IndexSteps)
            {
                // Expression indexes have statistics of their own, which only an ANALYZE after the index gathers.
                Assert.True(analyzed > journal.IndexOf($"applied 0/{step}"), string.Join(", ", journal));
            }
        }
    }

    [Fact]
    public async Task Replaying_a_real_migration_between_real_servers_makes_identical_decisions()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("replaysrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("replaytgt");
        await source.ExecuteAsync("""
            CREATE TABLE public.big (id bigint PRIMARY KEY, note text);
            INSERT INTO public.big SELECT g, repeat('n', 200) FROM generate_series(1, 100000) g;
            SELECT lo_from_bytea(0, convert_to(repeat('o', g), 'UTF8')) FROM generate_series(1, 40) g;
            ANALYZE;
            """);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-replay-{Guid.NewGuid():N}");
        await using var environment = new MigrationEnvironment(
            new NamedConnections(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString }),
            new MigrationEnvironmentOptions { CheckpointsLocation = checkpoints });
        var recorder = new WorkflowRecorder();
        var registry = WorkflowRegistry.ForMigrations(environment.Activities);
        var host = new LocalWorkflowHost(registry, new LocalWorkflowOptions { Recorder = recorder, MaxConcurrentActivities = 4 });

        // Small chunks, so that the big table gets a sub-workflow of its own.
        var input = Input with { Id = "replay-real", ChunkMegabytes = 1, BatchSize = 5000, Parallelism = 4 };
        var outcome = await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, input.Id, input, _ => { });

        Assert.True(outcome.TablesVerified > 5, $"only {outcome.TablesVerified} tables verified");
        Assert.Contains(recorder.Histories.Values, h => h.Name == WorkflowNames.TableCopy);
        Assert.Contains(recorder.Histories[input.Id].Decisions, d => d.Name == WorkflowNames.CopySmallTables);
        // 40 large objects, 3 to a set so that 16 sets would hold them: 14 sets, each copied and verified by an activity.
        Assert.Equal(14, recorder.Histories[input.Id].Decisions.Count(d => d.Name == WorkflowNames.CopyLargeObjects));
        Assert.Equal(14, recorder.Histories[input.Id].Decisions.Count(d => d.Name == WorkflowNames.VerifyLargeObjects));
        foreach (var history in recorder.Histories.Values)
        {
            Assert.Equal(history.Decisions, WorkflowReplayer.Replay(history, registry.Workflow(history.Name)));
        }

        Directory.Delete(checkpoints, recursive: true);
    }

    [Fact]
    public async Task The_workflow_plans_copies_biggest_first_applies_post_data_and_verifies()
    {
        var recorder = new WorkflowRecorder();
        var activities = new ScriptedActivities(7);
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(activities), new LocalWorkflowOptions { Recorder = recorder, MaxConcurrentActivities = 16 });

        var outcome = await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, Input.Id, Input, _ => { });

        var parent = recorder.Histories[Input.Id].Decisions.Where(d => d.Kind != WorkflowEventKind.CustomStatus).ToList();
        Assert.Equal(WorkflowNames.Plan, parent[0].Name);
        Assert.Equal(WorkflowNames.ApplyPreData, parent[1].Name);
        Assert.Equal(WorkflowNames.TableCopy, parent[2].Name);
        // The sub-workflow of sales.events takes all three slots; when it ends, its index and its verification come
        // first, then public.orders.
        Assert.Equal(WorkflowNames.ApplyPostDataStep, parent[3].Name);
        Assert.Contains("\"stepIndex\":2", parent[3].Json);
        Assert.Equal(WorkflowNames.VerifyTable, parent[4].Name);
        Assert.Contains("sales.events", parent[4].Json);
        Assert.Contains("\"chunkIndex\":0", parent[5].Json);
        Assert.Contains("public.orders", parent[5].Json);
        // public.small and public.empty are tiny: one activity each copies, keys, verifies and analyzes it (with
        // parallelism 3, two tiny tables make two batches, which run side by side).
        var tiny = ScriptedActivities.Tables.Where(t => t.Chunks == 1 && t.EstimatedBytes < MigrationWorkflow.SmallTableBytes).ToList();
        Assert.Equal(2, tiny.Count);
        Assert.Equal(tiny.Count, parent.Count(d => d.Name == WorkflowNames.CopySmallTables));
        Assert.Equal(7 - tiny.Sum(t => t.IndexSteps.Count), parent.Count(d => d.Name == WorkflowNames.ApplyPostDataStep));

        // The index of public.orders is built as soon as its last chunk is in, before the post-data phase.
        var ordersIndex = parent.FindIndex(d => d.Name == WorkflowNames.ApplyPostDataStep && d.Json!.Contains("\"stepIndex\":1,", StringComparison.Ordinal) && d.Json.Contains("\"stage\":0", StringComparison.Ordinal));
        var lastOrdersChunk = parent.FindLastIndex(d => d.Name == WorkflowNames.CopyChunk && d.Json!.Contains("public.orders", StringComparison.Ordinal));
        var firstLateStep = parent.FindIndex(d => d.Name == WorkflowNames.ApplyPostDataStep && d.Json!.Contains("\"stepIndex\":3,", StringComparison.Ordinal));
        Assert.InRange(ordersIndex, lastOrdersChunk + 1, firstLateStep - 1);
        Assert.Equal(ScriptedActivities.Tables.Length - tiny.Count, parent.Count(d => d.Name == WorkflowNames.VerifyTable));

        // ANALYZE waits behind every copy: it must not keep a chunk from starting.
        var firstAnalyze = parent.FindIndex(d => d.Name == WorkflowNames.AnalyzeTable);
        var lastCopy = parent.FindLastIndex(d => d.Name is WorkflowNames.CopyChunk or WorkflowNames.TableCopy);
        Assert.True(firstAnalyze > lastCopy, string.Join(", ", parent.Select(d => d.Name)));
        Assert.Equal(ScriptedActivities.Tables.Length - tiny.Count, parent.Count(d => d.Name == WorkflowNames.AnalyzeTable));
        Assert.True(activities.MaxConcurrentCopies <= Input.Parallelism, $"{activities.MaxConcurrentCopies} copies ran at once with parallelism {Input.Parallelism}");
        Assert.Equal(ScriptedActivities.Tables.Sum(t => t.Chunks) - tiny.Count, recorder.Histories.Values.Sum(h => h.Decisions.Count(d => d.Name == WorkflowNames.CopyChunk)));
        Assert.Equal(ScriptedActivities.Tables.Length, outcome.TablesVerified);
    }

    [Fact]
    public async Task Replay_detects_a_workflow_that_reads_the_clock()
    {
        var recorder = new WorkflowRecorder();
        var registry = new WorkflowRegistry()
            .AddWorkflow<MigrationInput, long>("ClockReader", async (context, _) => await context.CallActivityAsync<long>("Echo", new { at = DateTime.UtcNow.Ticks }))
            .AddActivity<System.Text.Json.JsonElement, long>("Echo", (input, _) => Task.FromResult(input.GetProperty("at").GetInt64()));
        var host = new LocalWorkflowHost(registry, new LocalWorkflowOptions { Recorder = recorder });
        await host.RunAsync<long>("ClockReader", "clock", Input, _ => { });
        await Task.Delay(20);

        var history = recorder.Histories["clock"];
        var replayed = WorkflowReplayer.Replay(history, registry.Workflow(history.Name));
        Assert.NotEqual(history.Decisions, replayed);
    }
}
