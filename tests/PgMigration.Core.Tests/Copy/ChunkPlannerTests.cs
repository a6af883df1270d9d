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
