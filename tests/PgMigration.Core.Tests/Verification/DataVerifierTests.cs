using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;
using PgMigration.Core.Tests.Copy;

namespace PgMigration.Core.Tests.Verification;

public class DataVerifierTests
{
    [Fact]
    public async Task A_changed_value_a_missing_row_and_a_duplicate_each_fail_naming_the_table()
    {
        await using var scenario = await CopyScenario.CreateAsync("verify", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var result = await scenario.CopyAsync(new CopyRunOptions { Planner = new ChunkPlannerOptions { ChunkBytes = 64 * 1024 } });
        Assert.True((await scenario.VerifyAsync(result.Plan)).AllMatch);

        await scenario.Target.ExecuteAsync("""
            UPDATE text_key SET payload = payload || '!' WHERE code = 'k000043';
            DELETE FROM uuid_key WHERE n = 7;
            INSERT INTO keyless VALUES (1, 'dup');
            """);
        var report = await scenario.VerifyAsync(result.Plan);

        Assert.False(report.AllMatch);
        Assert.Equal(["public.keyless", "public.text_key", "public.uuid_key"], report.Mismatches.Select(t => t.Table.Sql).Order());
        var changed = report.Tables.Single(t => t.Table == new QualifiedName("public", "text_key"));
        Assert.Equal(changed.SourceRows, changed.TargetRows);
        Assert.Contains("public.text_key", report.Render(), StringComparison.Ordinal);
        Assert.Contains("MISMATCH (content)", report.Render(), StringComparison.Ordinal);
    }
}
