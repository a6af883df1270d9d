using System.Collections.Concurrent;
using System.Globalization;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

public class BatchBoundTests
{
    // Text order of 1..2000 is 1, 10, 100, 1000, 1001, ...: a bound taken in that order lands far from the 100th key.
    private const string NumbersSchema = "CREATE TABLE numbers (id bigint PRIMARY KEY, note text)";
    private const string NumbersRows = "INSERT INTO numbers SELECT i, 'note ' || i FROM generate_series(1, 2000) i; ANALYZE";

    [Fact]
    public async Task Batch_bounds_follow_the_keys_own_order_not_its_text_form()
    {
        await using var scenario = await CopyScenario.CreateAsync("bounds", NumbersSchema, NumbersRows);
        var table = (await TableLayoutReader.ReadAsync(scenario.SourceData)).Single();
        await using var connection = await scenario.SourceData.OpenConnectionAsync();

        var bounds = new List<long>();
        IReadOnlyList<string>? lower = null;
        while (true)
        {
            await using var command = new Npgsql.NpgsqlCommand(ChunkSql.NextBatchUpperKey(table, ChunkSql.KeyRange(table, lower, null), 100), connection);
            if (await command.ExecuteScalarAsync() is not string upper)
            {
                break;
            }

            bounds.Add(long.Parse(upper, CultureInfo.InvariantCulture));
            lower = [upper];
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 100L), bounds);
    }

    [Fact]
    public async Task No_batch_holds_more_rows_than_the_batch_size()
    {
        await using var scenario = await CopyScenario.CreateAsync("batchsize", NumbersSchema, NumbersRows);
        var batches = new ConcurrentQueue<long>();

        var result = await scenario.CopyAsync(new CopyRunOptions
        {
            BatchSize = 100,
            OnProgress = progress => { if (progress.Rows > 0) batches.Enqueue(progress.Rows); },
        });

        Assert.Equal(2000, result.Rows);
        Assert.All(batches, rows => Assert.InRange(rows, 1, 100));
        Assert.Equal(20, batches.Count);
        Assert.Equal(2000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM numbers"));
    }

    [Fact]
    public async Task Sampled_chunk_bounds_of_a_numeric_composite_key_follow_numeric_order()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "sampled",
            "CREATE TABLE pairs (region bigint, id bigint, note text, PRIMARY KEY (region, id))",
            "INSERT INTO pairs SELECT 1, i, repeat('x', 200) FROM generate_series(1, 2000) i; ANALYZE");
        var tables = await TableLayoutReader.ReadAsync(scenario.SourceData);

        var plan = await ChunkPlanner.PlanAsync(scenario.SourceData, tables, "source", new ChunkPlannerOptions { ChunkBytes = 64 * 1024 });

        var uppers = plan.Chunks.Where(c => c.UpperKey is not null).Select(c => long.Parse(c.UpperKey![1], CultureInfo.InvariantCulture)).Order().ToList();
        Assert.True(uppers.Count > 2, "the table should be split into several chunks");
        var widths = uppers.Zip(uppers.Skip(1), (a, b) => b - a).ToList();
        Assert.All(widths, width => Assert.Equal(widths[0], width));
    }
}
