using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

public class LargeObjectCopyTests
{
    // Objects of 0 to 2.5 pieces (the test's piece is 1 KB), with fixed oids.
    private const string Objects = """
        SELECT lo_from_bytea(50000 + g, decode(repeat(md5(g::text), g * 5), 'hex')) FROM generate_series(1, 30) g;
        SELECT lo_create(50031);
        """;

    [Fact]
    public async Task An_object_left_on_the_target_past_the_recorded_progress_is_written_again_and_a_finished_set_is_not()
    {
        await using var scenario = await CopyScenario.CreateAsync("lo_copy", "SELECT 1", Objects);
        var plan = (await LargeObjectPlan.ReadAsync(scenario.SourceData, ownersAndGrants: false))!;
        // What a run killed mid-way, without the ledger's record, could have left: an object with the oid but not the content.
        await scenario.Target.ExecuteAsync("SELECT lo_from_bytea(50007, 'partial'::bytea)");
        var copier = Copier(scenario);

        foreach (var set in plan.Sets)
        {
            await copier.CopySetAsync(plan, set);
        }

        Assert.Equal(await ContentAsync(scenario.Source), await ContentAsync(scenario.Target));
        var checkpoints = (await scenario.Checkpoints.ListChunksAsync()).ToDictionary(c => c.ChunkId, c => c.Sequence);
        var again = await Task.WhenAll(plan.Sets.Select(set => Copier(scenario).CopySetAsync(plan, set)));
        Assert.All(again, c => Assert.Equal(checkpoints[c.ChunkId], c.Sequence));
        Assert.Equal(31, again.Sum(c => c.Rows));
        Assert.True((await scenario.VerifyAsync(Plan(plan))).AllMatch);
    }

    [Fact]
    public async Task Verification_names_the_set_whose_object_differs_or_is_missing()
    {
        await using var scenario = await CopyScenario.CreateAsync("lo_verify", "SELECT 1", Objects);
        var plan = (await LargeObjectPlan.ReadAsync(scenario.SourceData, ownersAndGrants: false))!;
        foreach (var set in plan.Sets)
        {
            await Copier(scenario).CopySetAsync(plan, set);
        }

        await scenario.Target.ExecuteAsync("SELECT lo_put(50030, 2000, '\\x00'::bytea); SELECT lo_unlink(50001);");
        var report = await scenario.VerifyAsync(Plan(plan));

        var objects = Assert.Single(report.Mismatches);
        Assert.Equal((LargeObjectPlan.Table, DataKind.LargeObjects), (objects.Table, objects.Kind));
        Assert.Equal((31L, 30L), (objects.SourceRows, objects.TargetRows));
        Assert.Equal(2, objects.MismatchedChunks.Count);
    }

    private static LargeObjectCopier Copier(CopyScenario scenario) =>
        new(scenario.SourceData, scenario.TargetData, scenario.Checkpoints, new LargeObjectCopierOptions { PlanId = "lo-test", PieceBytes = 1024 });

    private static DataPlan Plan(LargeObjectPlan largeObjects) =>
        new() { Id = "lo-test", Source = "source", Tables = [], Chunks = [], LargeObjects = largeObjects };

    private static Task<string> ContentAsync(PgMigration.Testing.TestDatabase database) =>
        database.ScalarAsync<string>("SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata");
}
