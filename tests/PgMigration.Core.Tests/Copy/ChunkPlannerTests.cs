using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

public class ChunkPlannerTests
{
    [Fact]
    public async Task Chunks_cover_every_row_of_every_table_exactly_once_biggest_first()
    {
        await using var scenario = await CopyScenario.CreateAsync("planner", DataFixtures.ShapesSchema, DataFixtures.ShapesRows);
        var tables = await TableLayoutReader.ReadAsync(scenario.SourceData);

        var plan = await ChunkPlanner.PlanAsync(scenario.SourceData, tables, "source", new ChunkPlannerOptions { ChunkBytes = 32 * 1024 });

        Assert.Equal(plan.Chunks.OrderByDescending(c => c.EstimatedBytes).Select(c => c.Id), plan.Chunks.Select(c => c.Id));
        foreach (var table in tables)
        {
            var chunks = plan.Chunks.Where(c => c.Table == table.Id).ToList();
            Assert.True(chunks.Count > 1 || table.EstimatedBytes <= 32 * 1024, $"{table.Name} should be split");
            var total = await CountAsync(scenario, $"SELECT count(*) FROM ONLY {table.QualifiedName}");
            var perChunk = 0L;
            foreach (var chunk in chunks)
            {
                var range = chunk.Kind == ChunkKind.KeyRange ? ChunkSql.KeyRange(table, chunk.LowerKey, chunk.UpperKey) : ChunkSql.BlockRange(chunk);
                perChunk += await CountAsync(scenario, $"SELECT count(*) FROM ONLY {table.QualifiedName} WHERE {range}");
            }

            Assert.Equal(total, perChunk);
        }

        Assert.Contains(plan.Chunks, c => c.Table.Name == "composite_key" && c.LowerKey is { Count: 3 });
        Assert.Contains(plan.Chunks, c => c.Table.Name == "keyless" && c.Kind == ChunkKind.BlockRange && c.EndBlock is not null);
    }

    [Fact]
    public async Task Left_to_the_planner_a_table_is_split_only_where_copying_it_whole_would_hold_up_the_other_workers()
    {
        // About half, a third and a sixth of the rows: the keyless one splits by block ranges.
        await using var scenario = await CopyScenario.CreateAsync(
            "balanced",
            "CREATE TABLE big (id int PRIMARY KEY, pad text); CREATE TABLE keyless (n int, pad text); CREATE TABLE small (id int PRIMARY KEY, pad text);",
            """
            INSERT INTO big SELECT g, repeat('b', 300) FROM generate_series(1, 6000) g;
            INSERT INTO keyless SELECT g, repeat('k', 300) FROM generate_series(1, 4000) g;
            INSERT INTO small SELECT g, repeat('s', 300) FROM generate_series(1, 2000) g;
            ANALYZE;
            """);
        var tables = await TableLayoutReader.ReadAsync(scenario.SourceData);
        async Task<Dictionary<string, int>> ChunksWithAsync(int? workers)
        {
            var plan = await ChunkPlanner.PlanAsync(scenario.SourceData, tables, "source", new ChunkPlannerOptions { ChunkBytes = 64 * 1024, BalancedWorkers = workers });
            return tables.ToDictionary(t => t.Name, t => plan.Chunks.Count(c => c.Table == t.Id));
        }

        // Two workers: the biggest table whole takes one of them no longer than 1.5 times an even share.
        Assert.All(await ChunksWithAsync(2), table => Assert.Equal(1, table.Value));

        var four = await ChunksWithAsync(4);
        Assert.True(four["big"] > 1, "with four workers the table of half the rows should be split");
        Assert.Equal(1, four["keyless"]);
        Assert.Equal(1, four["small"]);

        var eight = await ChunksWithAsync(8);
        Assert.True(eight["big"] > 1 && eight["keyless"] > 1, "with eight workers the two biggest tables should be split");
        Assert.Equal(1, eight["small"]);

        // A chunk size given: every table bigger than a chunk is split, whatever the workers.
        Assert.All(await ChunksWithAsync(null), table => Assert.True(table.Value > 1, $"{table.Key} should be split"));
    }

    private static async Task<long> CountAsync(CopyScenario scenario, string sql)
    {
        await using var command = scenario.SourceData.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Time_and_float_key_bounds_survive_servers_with_unusual_date_styles()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "datestyle",
            "CREATE TABLE readings (at timestamptz, sensor float8, span interval, value text, PRIMARY KEY (at, sensor, span))",
            """
            INSERT INTO readings SELECT timestamptz '2024-03-30 22:00:00+00' + i * interval '1 minute 0.123456 seconds',
                   i / 3.0, make_interval(days => i % 3, secs => i / 7.0), repeat('v', 50) FROM generate_series(1, 6000) i;
            ANALYZE;
            """);
        foreach (var database in new[] { scenario.Source, scenario.Target })
        {
            await database.ExecuteAsync($"""
                ALTER DATABASE "{database.Name}" SET DateStyle = 'SQL, DMY';
                ALTER DATABASE "{database.Name}" SET TimeZone = 'Asia/Kolkata';
                ALTER DATABASE "{database.Name}" SET IntervalStyle = 'sql_standard';
                ALTER DATABASE "{database.Name}" SET extra_float_digits = 0;
                """);
        }

        var result = await scenario.CopyAsync(new CopyRunOptions { BatchSize = 400, Planner = new ChunkPlannerOptions { ChunkBytes = 64 * 1024 } });

        Assert.True(result.Plan.Chunks.Count > 3, "the table should be split into several chunks");
        Assert.Equal(6000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM readings"));
        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());
    }
}
