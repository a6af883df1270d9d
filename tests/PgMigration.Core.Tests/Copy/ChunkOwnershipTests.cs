using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

/// <summary>
/// A chunk copied again, or by two copiers at once, never duplicates a row, whatever its checkpoint says.
/// The target tables have no primary key yet (as in a real load, before post-data), so nothing but the
/// engine stands between a second copy and duplicated rows.
/// </summary>
public class ChunkOwnershipTests
{
    private const string Schema = """
        CREATE TABLE numbers (id bigint PRIMARY KEY, note text);
        CREATE TABLE keyless (n bigint, note text);
        """;

    private const string Rows = """
        INSERT INTO numbers SELECT i, repeat('n', 100) || i FROM generate_series(1, 20000) i;
        INSERT INTO keyless SELECT i, repeat('k', 100) || i FROM generate_series(1, 5000) i;
        ANALYZE;
        """;

    [Fact]
    public async Task A_chunk_whose_checkpoint_was_lost_after_it_finished_is_not_copied_twice()
    {
        await using var scenario = await CreateAsync("lostcheckpoint");
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions { PlanId = plan.Id, BatchSize = 1000 });

        foreach (var chunk in plan.Chunks)
        {
            await copier.CopyChunkAsync(plan.TableOf(chunk), chunk);
            File.Delete(Path.Combine(scenario.CheckpointFolder, "chunks", chunk.Id + ".json"));
            var again = await copier.CopyChunkAsync(plan.TableOf(chunk), chunk);
            Assert.True(again.Done);
        }

        await AssertTargetHoldsExactlyTheSourceAsync(scenario);
    }

    [Fact]
    public async Task A_chunk_whose_checkpoint_was_lost_midway_resumes_where_the_target_says()
    {
        await using var scenario = await CreateAsync("lostmidway");
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        var chunk = plan.Chunks.Single(c => c.Table.Name == "numbers");
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var copier = new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions
        {
            PlanId = plan.Id,
            BatchSize = 1000,
            OnProgress = p => { if (p.Rows > 0 && ++batches == 5) stop.Cancel(); },
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => copier.CopyChunkAsync(plan.TableOf(chunk), chunk, stop.Token));
        File.Delete(Path.Combine(scenario.CheckpointFolder, "chunks", chunk.Id + ".json"));
        var again = await new TableCopier(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new TableCopierOptions { PlanId = plan.Id, BatchSize = 1000 })
            .CopyChunkAsync(plan.TableOf(chunk), chunk);

        Assert.True(again.Done);
        Assert.Equal(20000, again.Rows);
        Assert.Equal(20000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM numbers"));
        Assert.Equal(20000, await scenario.Target.ScalarAsync<long>("SELECT count(DISTINCT id) FROM numbers"));
    }

    [Fact]
    public async Task Two_processes_copying_the_same_chunks_at_once_leave_exactly_the_source_rows()
    {
        await using var scenario = await CreateAsync("twoprocesses");
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);

        // Two stores over one folder, as two processes would have: nothing in memory is shared.
        var copiers = Enumerable.Range(0, 2).Select(_ => new TableCopier(
            scenario.SourceData, scenario.TargetData, new FolderCheckpointStore(scenario.CheckpointFolder), new TableCopierOptions { PlanId = plan.Id, BatchSize = 500 })).ToList();
        var results = await Task.WhenAll(plan.Chunks.SelectMany(chunk => copiers.Select(copier => Task.Run(() => copier.CopyChunkAsync(plan.TableOf(chunk), chunk)))));

        Assert.All(results, r => Assert.True(r.Done));
        await AssertTargetHoldsExactlyTheSourceAsync(scenario);
    }

    private static async Task<CopyScenario> CreateAsync(string prefix)
    {
        var scenario = await CopyScenario.CreateAsync(prefix, Schema, Rows);
        await scenario.Target.ExecuteAsync("ALTER TABLE numbers DROP CONSTRAINT numbers_pkey");
        // As the migration's plan step does, before any chunk is copied.
        await CopyLedger.EnsureAsync(scenario.TargetData);
        return scenario;
    }

    private static async Task AssertTargetHoldsExactlyTheSourceAsync(CopyScenario scenario)
    {
        Assert.Equal(20000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM numbers"));
        Assert.Equal(5000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM keyless"));
        Assert.Equal(await CopyScenario.TableDigestAsync(scenario.Source, "numbers", "id"), await CopyScenario.TableDigestAsync(scenario.Target, "numbers", "id"));
        Assert.Equal(await CopyScenario.TableDigestAsync(scenario.Source, "keyless", "n"), await CopyScenario.TableDigestAsync(scenario.Target, "keyless", "n"));
    }
}
