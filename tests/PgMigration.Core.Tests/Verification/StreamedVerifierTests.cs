using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Tests.Copy;
using PgMigration.Core.Verification;

namespace PgMigration.Core.Tests.Verification;

public class StreamedVerifierTests
{
    private static readonly CopyRunOptions SmallPieces = new()
    {
        BatchSize = 700,
        Parallelism = 3,
        Planner = new ChunkPlannerOptions { ChunkBytes = 64 * 1024 },
    };

    [Fact]
    public async Task A_changed_value_a_missing_row_and_a_duplicate_each_differ_from_the_hash_streamed_from_the_source()
    {
        await using var scenario = await CopyScenario.CreateAsync("streamverify", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var result = await scenario.CopyAsync(SmallPieces);
        var clean = await scenario.VerifyStreamedAsync(result.Plan);
        Assert.True(clean.AllMatch, clean.Render());
        Assert.Equal(result.Plan.Tables.Select(t => t.DisplayName).Order(), clean.Tables.Select(t => t.Table.Sql).Order());

        // Keyed chunks are read back range by range, the keyless table whole against the sum of its chunks.
        Assert.True(result.Plan.Chunks.Count(c => c.Table.Name == "text_key") > 1);
        Assert.Contains(result.Plan.Chunks, c => c is { Table.Name: "keyless", Kind: ChunkKind.BlockRange });
        await scenario.Target.ExecuteAsync("""
            UPDATE text_key SET payload = payload || '!' WHERE code = 'k000043';
            DELETE FROM uuid_key WHERE n = 7;
            INSERT INTO keyless VALUES (1, 'dup');
            """);
        var report = await scenario.VerifyStreamedAsync(result.Plan);

        Assert.Equal(["public.keyless", "public.text_key", "public.uuid_key"], report.Mismatches.Select(t => t.Table.Sql).Order());
        var changed = report.Tables.Single(t => t.Table == new QualifiedName("public", "text_key"));
        Assert.Equal(changed.SourceRows, changed.TargetRows);
        Assert.Single(changed.MismatchedChunks);
        var missing = report.Tables.Single(t => t.Table == new QualifiedName("public", "uuid_key"));
        Assert.Equal(missing.SourceRows - 1, missing.TargetRows);
        var duplicated = report.Tables.Single(t => t.Table == new QualifiedName("public", "keyless"));
        Assert.Equal(duplicated.SourceRows + 1, duplicated.TargetRows);
    }

    [Fact]
    public async Task Summed_in_one_query_the_tables_with_a_changed_value_a_missing_row_or_a_duplicate_are_left_unconfirmed()
    {
        await using var scenario = await CopyScenario.CreateAsync("streambatch", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var result = await scenario.CopyAsync();
        var tables = new List<(TableLayout Table, ChunkCheckpoint Checkpoint)>();
        foreach (var table in result.Plan.Tables)
        {
            var chunks = result.Plan.Chunks.Where(c => c.Table == table.Id).ToList();
            if (chunks.Count == 1 && await scenario.Checkpoints.ReadChunkAsync(chunks[0].Id) is { } checkpoint && StreamedVerifier.CanVerify(table, [checkpoint]))
            {
                tables.Add((table, checkpoint));
            }
        }

        var clean = await StreamedVerifier.VerifyWholeTablesAsync(scenario.TargetData, tables);
        Assert.True(tables.Count >= 4, $"only {tables.Count} tables in one chunk with a streamed hash");
        Assert.All(clean, v => Assert.True(v is { Matches: true }));
        Assert.Equal(tables.Select(t => t.Table.Id), clean.Select(v => v!.Table));

        await scenario.Target.ExecuteAsync("""
            UPDATE text_key SET payload = payload || '!' WHERE code = 'k000043';
            DELETE FROM uuid_key WHERE n = 7;
            INSERT INTO keyless VALUES (1, 'dup');
            """);
        var summed = await StreamedVerifier.VerifyWholeTablesAsync(scenario.TargetData, tables);

        var unconfirmed = tables.Where((_, i) => summed[i] is null).Select(t => t.Table.DisplayName).Order();
        Assert.Equal(["public.keyless", "public.text_key", "public.uuid_key"], unconfirmed);
        Assert.All(summed.Where(v => v is not null), v => Assert.True(v!.Matches));
    }

    [Fact]
    public async Task A_value_changed_in_a_keyless_table_is_caught_with_the_row_count_unchanged()
    {
        await using var scenario = await CopyScenario.CreateAsync("streamkeyless", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var result = await scenario.CopyAsync(SmallPieces);
        await scenario.Target.ExecuteAsync("UPDATE keyless SET b = 'dUp' WHERE ctid = (SELECT min(ctid) FROM keyless)");

        var keyless = (await scenario.VerifyStreamedAsync(result.Plan)).Tables.Single(t => t.Table == new QualifiedName("public", "keyless"));

        Assert.False(keyless.Matches);
        Assert.Equal(keyless.SourceRows, keyless.TargetRows);
    }

    [Fact]
    public async Task Every_binary_column_type_lands_with_the_hash_it_streamed_with_and_user_type_arrays_are_left_to_the_checksum()
    {
        await using var scenario = await CopyScenario.CreateAsync("streamwide", DataFixtures.WideSchema, DataFixtures.WideRows);
        var result = await scenario.CopyAsync();

        var report = await scenario.VerifyStreamedAsync(result.Plan);

        // wide_user_types is copied as text: its binary form names type OIDs that differ between servers.
        Assert.Equal(["public.wide"], report.Tables.Select(t => t.Table.Sql));
        Assert.True(report.AllMatch, report.Render());
        Assert.True((await scenario.VerifyAsync(result.Plan)).AllMatch);
    }

    [Fact]
    public async Task Between_servers_of_different_encodings_the_copy_counts_rows_without_a_hash_and_the_two_sided_check_verifies()
    {
        await using var scenario = await CopyScenario.CreateAsync("streamlatin", DataFixtures.ShapesSchema, DataFixtures.ShapesRows, targetEncoding: "LATIN1");
        var result = await scenario.CopyAsync(SmallPieces);

        var checkpoints = new List<ChunkCheckpoint?>();
        foreach (var chunk in result.Plan.Chunks)
        {
            checkpoints.Add(await scenario.Checkpoints.ReadChunkAsync(chunk.Id));
        }

        // The target stores text in LATIN1, which the copier's hashes of UTF-8 bytes would not match.
        Assert.All(checkpoints, c => Assert.True(c is { Done: true, Hash: null }));
        Assert.Equal(5000, checkpoints.Where((_, i) => result.Plan.Chunks[i].Table.Name == "text_key").Sum(c => c!.Rows));
        Assert.Empty((await scenario.VerifyStreamedAsync(result.Plan)).Tables);
        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());
    }
}
