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

    [Fact]
    public async Task Between_servers_of_different_encodings_non_ascii_text_matches_and_a_changed_accent_does_not()
    {
        // A UTF-8 source into a LATIN1 target: each server renders the same characters in its own bytes.
        await using var scenario = await CopyScenario.CreateAsync("verifylatin", """
            CREATE TABLE words (id int PRIMARY KEY, word text, initial char(3), tags varchar(20)[]);
            """, """
            INSERT INTO words SELECT i, (ARRAY['café', 'Ñandú', 'Größe', 'naïve', 'plain'])[1 + i % 5] || i, 'é', ARRAY['ß', 'ø' || i] FROM generate_series(1, 3000) i;
            ANALYZE;
            """, targetEncoding: "LATIN1");
        var result = await scenario.CopyAsync(new CopyRunOptions { Planner = new ChunkPlannerOptions { ChunkBytes = 32 * 1024 } });

        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());

        await scenario.Target.ExecuteAsync("UPDATE words SET word = 'cafe' || id WHERE id = 2000;");
        var changed = await scenario.VerifyAsync(result.Plan);
        Assert.False(changed.AllMatch);
        Assert.Equal(["public.words"], changed.Mismatches.Select(t => t.Table.Sql));
    }
}
