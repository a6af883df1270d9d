using PgMigration.Core.Api;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Tests.Copy;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Tests.Api;

public class CheckpointProgressReaderTests
{
    [Fact]
    public async Task Rows_earlier_runs_committed_are_marked_as_resumed_and_left_out_of_the_rate_and_the_eta()
    {
        var (scenario, chunk) = await PlannedOrdersAsync("resumedrate");
        await using var _ = scenario;
        var store = scenario.Checkpoints;

        // An earlier run committed 4 000 rows; this run started 10 s ago and has committed 2 000 more.
        await store.WriteChunkAsync(new ChunkCheckpoint { ChunkId = chunk.Id, Table = new QualifiedName("public", "orders"), Sequence = 4, Rows = 4_000, Bytes = 400_000 });
        await ResumedWork.RecordAsync(store);
        await store.WriteChunkAsync(new ChunkCheckpoint { ChunkId = chunk.Id, Table = new QualifiedName("public", "orders"), Sequence = 6, Rows = 6_000, Bytes = 600_000 });
        var now = DateTimeOffset.UtcNow;
        var reader = new CheckpointProgressReader(_ => store, clock: new FixedClock(now));

        var table = Assert.Single(await reader.ReadAsync("resumed", now.AddSeconds(-10)));

        Assert.Equal((TableCopyState.Copying, 6_000L, 4_000L, 400_000L), (table.State, table.RowsCopied, table.RowsResumed, table.BytesResumed));
        Assert.Equal(200, table.RowsPerSecond);
        Assert.Equal(Math.Round((table.RowsEstimated - 6_000) / 200.0, 1), table.EtaSeconds);
    }

    [Fact]
    public async Task A_run_that_resumed_nothing_counts_every_row_in_its_rate()
    {
        var (scenario, chunk) = await PlannedOrdersAsync("freshrate");
        await using var _ = scenario;
        var store = scenario.Checkpoints;
        await ResumedWork.RecordAsync(store);
        await store.WriteChunkAsync(new ChunkCheckpoint { ChunkId = chunk.Id, Table = new QualifiedName("public", "orders"), Sequence = 1, Rows = 3_000, Bytes = 300_000 });
        var now = DateTimeOffset.UtcNow;

        var table = Assert.Single(await new CheckpointProgressReader(_ => store, clock: new FixedClock(now)).ReadAsync("fresh", now.AddSeconds(-10)));

        Assert.Equal((0L, 300.0), (table.RowsResumed, table.RowsPerSecond));
    }

    // One table of one chunk, planned and stored; no row copied yet.
    private static async Task<(CopyScenario Scenario, CopyChunk Chunk)> PlannedOrdersAsync(string prefix)
    {
        var scenario = await CopyScenario.CreateAsync(
            prefix,
            "CREATE TABLE public.orders (id bigint PRIMARY KEY, note text);",
            "INSERT INTO public.orders SELECT g, md5(g::text) FROM generate_series(1, 10000) g; ANALYZE;");
        var plan = await scenario.Runner().LoadOrCreatePlanAsync(scenario.Source.Name);
        return (scenario, Assert.Single(plan.Chunks));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
