using PgMigration.Core.Copy;
using PgMigration.Core.Verification;

namespace PgMigration.Core.Tests.Copy;

public class SnapshotTests
{
    [Fact]
    public async Task Every_chunk_reads_the_exported_snapshot_while_the_source_keeps_changing()
    {
        await using var scenario = await CopyScenario.CreateAsync("snapshot", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var options = new CopyRunOptions { BatchSize = 500, Planner = new ChunkPlannerOptions { ChunkBytes = 64 * 1024 } };
        var plan = await scenario.Runner(options).LoadOrCreatePlanAsync(scenario.Source.Name);
        await using var snapshot = await SourceSnapshot.ExportAsync(scenario.SourceData);

        // Writes after the snapshot, in keyed, keyless and partitioned tables alike.
        await scenario.Source.ExecuteAsync("""
            DELETE FROM text_key WHERE code < 'k001000';
            INSERT INTO uuid_key SELECT md5('late' || i)::uuid, -i FROM generate_series(1, 700) i;
            UPDATE keyless SET b = 'changed' WHERE a = 3;
            INSERT INTO keyless SELECT 99, 'late' FROM generate_series(1, 300);
            DELETE FROM measurements WHERE city = 4;
            """);
        await scenario.Runner(options with { SnapshotId = snapshot.Id }).CopyAsync(plan);

        Assert.Equal(5000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM text_key"));
        Assert.Equal(3000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM uuid_key"));
        Assert.Equal(0, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM keyless WHERE b <> 'dup'"));
        var atSnapshot = await DataVerifier.VerifyAsync(scenario.SourceData, scenario.TargetData, plan, new VerificationOptions { SourceSnapshotId = snapshot.Id });
        Assert.True(atSnapshot.AllMatch, atSnapshot.Render());
        var now = await DataVerifier.VerifyAsync(scenario.SourceData, scenario.TargetData, plan);
        Assert.Equal(["public.keyless", "public.measurements_2020", "public.measurements_2021", "public.text_key", "public.uuid_key"], now.Mismatches.Select(t => t.Table.Sql).Order());
    }
}
