using System.Net;
using System.Text.Json;
using PgMigration.Core.Api;
using PgMigration.Core.Connections;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests.Progress;

/// <summary>
/// Durable runs an activity on any instance of the app, so the instance that answers a status poll is often
/// not the one copying: what a batch in flight has streamed must reach it through the checkpoint store.
/// </summary>
public class StreamedProgressTests
{
    private const int Rows = 40_000;

    [Fact]
    public async Task Rows_a_batch_streams_on_another_instance_rise_in_the_status_before_the_table_is_copied()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fnstreamsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fnstreamtgt");
        await SlowStream.CreateSourceAsync(source, Rows);
        await SlowStream.CreateTargetAsync(target);
        var settings = FunctionsMigrationTests.Settings(source, target);
        settings[AppSettingNames.StreamedProgressInterval] = "00:00:00.250";
        var taskHub = $"pgmstream{Guid.NewGuid():N}"[..16];
        await using var copier = await FunctionsAppHost.StartAsync(settings, DurableBackend.AzureStorage, taskHub);
        await using var front = await FunctionsAppHost.StartAsync(settings, DurableBackend.AzureStorage, taskHub, runsWork: false);

        using (var start = await front.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","parallelism":1,"id":"fn-streamed"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var statuses = await front.PollUntilDoneAsync("/api/migrations/fn-streamed");

        Assert.True(statuses[^1].GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {statuses[^1]}");
        Assert.Equal(Rows, Readings(statuses[^1]).GetProperty("rowsCopied").GetInt64());
        var whileCopying = statuses
            .Select(Readings)
            .Where(t => t.ValueKind == JsonValueKind.Object && t.GetProperty("state").GetString() == "copying")
            .Select(t => t.GetProperty("rowsCopied").GetInt64())
            .ToList();
        var intermediate = whileCopying.Where(rows => rows is > 0 and < Rows).Distinct().ToList();
        Assert.True(intermediate.Count >= 3, $"The status on the instance that does not copy showed {string.Join(", ", whileCopying.Distinct())} rows while the table was copying.");
        Assert.Equal(whileCopying.Order(), whileCopying);
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    private static JsonElement Readings(JsonElement status) =>
        status.TryGetProperty("tables", out var tables)
            ? tables.EnumerateArray().FirstOrDefault(t => t.GetProperty("table").GetString() == "readings")
            : default;
}
