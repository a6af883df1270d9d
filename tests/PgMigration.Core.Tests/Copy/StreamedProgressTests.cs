using System.Collections.Concurrent;
using System.Diagnostics;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class StreamedProgressTests
{
    [Fact]
    public async Task A_table_copied_in_one_batch_reports_rows_while_it_streams_and_its_reports_add_up_to_what_landed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("streamsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("streamtgt");
        await source.ExecuteAsync("CREATE TABLE public.events (id bigint PRIMARY KEY, payload text); INSERT INTO public.events SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 600000) g; ANALYZE;");
        var reports = new ConcurrentQueue<ChunkProgress>();

        await InProcessMigration.RunAsync(
            source, target, new MigrationInput { Id = "stream", Source = "source", Target = "target", Mode = MigrationMode.All }, reports.Enqueue);

        var events = reports.Where(r => r.Chunk.Table == new QualifiedName("public", "events")).ToList();
        var streamed = events.TakeWhile(r => !r.ChunkDone).Where(r => r.Uncommitted && r.Rows > 0).ToList();
        Assert.True(streamed.Count >= 1, $"No rows were reported before the batch committed: {string.Join(", ", events)}");
        Assert.Single(events, r => r.ChunkDone);
        Assert.Equal(600_000, events.Sum(r => r.Rows));
        Assert.Equal(600_000, await target.ScalarAsync<long>("SELECT count(*) FROM public.events"));
    }

    [Fact]
    public async Task A_batch_in_flight_publishes_its_rising_rows_to_the_store_at_most_once_per_interval_and_removes_them_when_done()
    {
        await using var scenario = await CopyScenario.CreateAsync("publish", SlowStream.Schema, SlowStream.Rows(40_000));
        await SlowStream.SlowDownAsync(scenario.Target);
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        var interval = TimeSpan.FromMilliseconds(500);
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions { PlanId = plan.Id, StreamedPublishInterval = interval });
        var chunk = Assert.Single(plan.Chunks);

        // Another reader of the same folder, as pgmigrate status would be.
        var reader = new FolderCheckpointStore(scenario.CheckpointFolder);
        var seen = new List<StreamedBatch>();
        var watch = Stopwatch.StartNew();
        var copy = copier.CopyChunkAsync(plan.TableOf(chunk), chunk);
        while (!copy.IsCompleted)
        {
            seen.AddRange(await reader.ListStreamedAsync());
            await Task.Delay(20);
        }

        var copied = await copy;
        var elapsed = watch.Elapsed;

        Assert.Equal(40_000, copied.Rows);
        var published = seen.DistinctBy(s => s.UpdatedAt).ToList();
        Assert.True(published.Count(s => s.Rows is > 0 and < 40_000) >= 2, $"Published while streaming: {string.Join(", ", published.Select(s => s.Rows))}");
        Assert.Equal(published.Select(s => s.Rows).Order(), published.Select(s => s.Rows));
        Assert.All(published, s => Assert.Equal(0, s.AfterSequence));
        Assert.InRange(published.Count, 1, (int)(elapsed / interval) + 1);
        Assert.Empty(await reader.ListStreamedAsync());
    }

    [Fact]
    public async Task A_copier_told_not_to_report_streamed_rows_reports_committed_batches_only_and_publishes_nothing()
    {
        await using var scenario = await CopyScenario.CreateAsync("nostream", SlowStream.Schema, SlowStream.Rows(10_000));
        await SlowStream.SlowDownAsync(scenario.Target);
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        var reports = new ConcurrentQueue<ChunkProgress>();
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions
        {
            PlanId = plan.Id, ReportStreamed = false, StreamedPublishInterval = TimeSpan.FromMilliseconds(250), OnProgress = reports.Enqueue,
        });
        var chunk = Assert.Single(plan.Chunks);
        var reader = new FolderCheckpointStore(scenario.CheckpointFolder);
        var published = 0;

        var copy = copier.CopyChunkAsync(plan.TableOf(chunk), chunk);
        while (!copy.IsCompleted)
        {
            published += (await reader.ListStreamedAsync()).Count;
            await Task.Delay(20);
        }

        Assert.Equal(10_000, (await copy).Rows);
        Assert.DoesNotContain(reports, r => r.Uncommitted);
        Assert.Equal(10_000, Assert.Single(reports, r => r.ChunkDone).Rows);
        Assert.Equal(0, published);
    }
}
