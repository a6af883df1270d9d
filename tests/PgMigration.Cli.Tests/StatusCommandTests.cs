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
            if (status.Error.Contains("There are no checkpoints", StringComparison.Ordinal))
            {
                // Not planned yet: a migration's checkpoints appear with its first record.
                continue;
            }

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

    [Fact]
    public async Task Status_of_an_online_migration_shows_its_lag_and_warns_when_the_slot_keeps_much_WAL_or_nothing_follows_it()
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-status-online-{Guid.NewGuid():N}");
        try
        {
            var store = new PgMigration.Core.Checkpoints.FolderCheckpointStore(checkpoints);
            await new PgMigration.Core.Online.ReplicationProgress(12_345, 678, 40_960, 1.5, 3L * 1024 * 1024 * 1024, "0/3000000", DateTimeOffset.UtcNow.AddMinutes(-5)).StoreAsync(store);
            var output = new StringWriter();

            var exit = await StatusCommand.RunAsync(checkpoints, null, output, output);

            Assert.Equal(ExitCodes.Success, exit);
            var text = output.ToString();
            Assert.Contains("12,345 changes applied (678/s), lag 40 kB / 1.5s", text, StringComparison.Ordinal);
            Assert.Contains("warning: the replication slot makes the source keep 3.2 GB of WAL", text, StringComparison.Ordinal);
            Assert.Contains("warning: nothing was applied since", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }
}
