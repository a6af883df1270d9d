using PgMigration.Cli.Commands;
using PgMigration.Cli.Tests.Http;
using PgMigration.Core.Api;
using PgMigration.Core.Connections;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class StatusCommandTests
{
    [Fact]
    public async Task Status_prints_per_table_progress_from_the_checkpoints_of_a_served_migration()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("statussrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("statustgt");
        await MigrationFixture.FillAsync(source, orders: 9_000);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });
        using (var start = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","id":"status-1"}"""))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        }

        var statuses = await MigrationFixture.PollUntilDoneAsync(api, "/api/migrations/status-1");
        Assert.Equal("Completed", statuses[^1].GetProperty("runtimeStatus").GetString());

        var output = new StringWriter();
        var exit = await StatusCommand.RunAsync(api.Checkpoints, "status-1", output, output);

        Assert.Equal(ExitCodes.Success, exit);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("public.orders ", StringComparison.Ordinal) && l.Contains("copied", StringComparison.Ordinal) && l.Contains("9,000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("sales.lines ", StringComparison.Ordinal) && l.Contains("copied", StringComparison.Ordinal));
        Assert.Contains("3 of 3 tables copied", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_folder_without_checkpoints_says_which_value_to_give()
    {
        var output = new StringWriter();
        var exit = await StatusCommand.RunAsync(Path.Combine(Path.GetTempPath(), $"nothing-{Guid.NewGuid():N}"), null, output, output);

        Assert.Equal(ExitCodes.BadUsage, exit);
        Assert.Contains("--checkpoints value the migration ran with", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_run_as_its_own_process_shows_the_rows_a_served_migration_streams_rising_before_the_table_is_copied()
    {
        const int Rows = 40_000;
        await using var source = await PostgresServer.CreateDatabaseAsync("statusstreamsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("statusstreamtgt");
        await SlowStream.CreateSourceAsync(source, Rows);
        await SlowStream.CreateTargetAsync(target);
        await using var api = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString },
            settings: new Dictionary<string, string?> { [AppSettingNames.StreamedProgressInterval] = "00:00:00.250" });
        using (var start = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","id":"status-streamed"}"""))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        }

        var whileCopying = new List<long>();
        while (await RuntimeStatusAsync(api, "status-streamed") is "Pending" or "Running")
        {
            var status = await PgMigrateProcess.RunAsync("status", "--checkpoints", api.Checkpoints, "--id", "status-streamed");
            Assert.Equal(ExitCodes.Success, status.ExitCode);
            var line = status.Output.Split('\n').FirstOrDefault(l => l.StartsWith("public.readings ", StringComparison.Ordinal));
            var columns = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns is [_, "copying", var rows, ..])
            {
                whileCopying.Add(long.Parse(rows, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal("Completed", await RuntimeStatusAsync(api, "status-streamed"));
        Assert.True(
            whileCopying.Where(rows => rows is > 0 and < Rows).Distinct().Count() >= 2,
            $"pgmigrate status showed {string.Join(", ", whileCopying)} rows while the table was copying.");
        Assert.Equal(whileCopying.Order(), whileCopying);
    }

    private static async Task<string?> RuntimeStatusAsync(ApiServer api, string id) =>
        (await api.GetJsonAsync($"/api/migrations/{id}")).GetProperty("runtimeStatus").GetString();
}
