using PgMigration.Cli.Progress;
using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Cli.Tests.Progress;

public class CopyProgressViewTests
{
    private static readonly QualifiedName Orders = new("public", "orders");

    private static readonly CopyChunk Chunk = new() { Id = "t0000-c00000", Table = Orders, Kind = ChunkKind.KeyRange };

    private static readonly DataPlan Plan = new()
    {
        Id = "plan-1",
        Source = "source",
        Tables =
        [
            new TableLayout
            {
                Schema = "public", Name = "orders", Columns = [new CopyColumn("id", "bigint", true)], KeyColumns = [new CopyColumn("id", "bigint", true)],
                UsesTextFormat = false, EstimatedRows = 1_000, EstimatedBytes = 10_000_000,
            },
        ],
        Chunks = [Chunk],
    };

    [Fact]
    public async Task Once_every_row_is_in_the_rate_is_the_copys_and_the_steps_that_follow_are_named_under_the_bars_with_the_servers_count_of_an_index_build()
    {
        var output = new StringWriter();
        var view = new CopyProgressView(Plan, output, interactive: false);

        var copying = System.Diagnostics.Stopwatch.StartNew();
        view.Report(new ChunkProgress(Chunk, 0, 0, ChunkDone: false));
        await Task.Delay(TimeSpan.FromSeconds(1));
        view.Report(new ChunkProgress(Chunk, 1_000, 10_000_000, ChunkDone: true));
        var copySeconds = copying.Elapsed.TotalSeconds;
        view.Working([new RunningWork(WorkKind.Index, Orders, "orders_pkey ON public.orders")]);
        // Index builds go on for a while after the last row: the copy's rate must not fall with them.
        await Task.Delay(TimeSpan.FromSeconds(2));
        view.IndexBuilding(new IndexBuildProgress(Orders, null, "building index: scanning table", 50, 200, 0, 0));
        await view.RunAsync(new CancellationToken(canceled: true));

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var total = Assert.Single(lines, l => l.StartsWith("1/1 tables done, 1,000 rows, 10.0 MB in ", StringComparison.Ordinal));
        var rate = System.Text.RegularExpressions.Regex.Match(total, @" in \d+s \((?<rate>[0-9.]+) MB/s\)$");
        Assert.True(rate.Success, total);
        // 10 MB over the time the copy took (about a second, longer on a loaded machine), not over the
        // time the view has been up, two seconds more: those would make it at most 10 / (copySeconds + 2).
        Assert.InRange(double.Parse(rate.Groups["rate"].Value, System.Globalization.CultureInfo.InvariantCulture), 10 / (copySeconds + 0.5), 10.5);
        Assert.Contains("now: building index orders_pkey ON public.orders (25% of building index: scanning table)", lines);
    }
}
