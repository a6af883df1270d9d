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
            var chunks = plan.Chunks.Where(c => c.Table == table.Name).ToList();
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

        Assert.Contains(plan.Chunks, c => c.Table == "composite_key" && c.LowerKey is { Count: 3 });
        Assert.Contains(plan.Chunks, c => c.Table == "keyless" && c.Kind == ChunkKind.BlockRange && c.EndBlock is not null);
    }

    private static async Task<long> CountAsync(CopyScenario scenario, string sql)
    {
        await using var command = scenario.SourceData.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
