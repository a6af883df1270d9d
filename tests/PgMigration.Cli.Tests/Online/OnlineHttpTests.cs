using System.Text.Json;
using PgMigration.Cli.Tests.Http;
using PgMigration.Testing;
using PgMigration.Testing.Online;

namespace PgMigration.Cli.Tests.Online;

/// <summary>Online migrations over the HTTP API of <c>pgmigrate serve</c>: progress while following, cut over, cancel.</summary>
public class OnlineHttpTests
{
    [Fact]
    public async Task An_online_migration_reports_its_lag_while_following_and_cuts_over_on_request()
    {
        await using var source = await OnlineSource.CreateAsync("online_http_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_http_dst");
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });
        try
        {
            await using var load = WriteLoad.Start(source.ConnectionString, connections: 2);
            var id = await StartAsync(api);
            var following = await WaitForReplicationAsync(api, id);
            Assert.Equal(JsonValueKind.Number, following.GetProperty("lagBytes").ValueKind);
            Assert.Equal(JsonValueKind.Number, following.GetProperty("changesPerSecond").ValueKind);
            await load.StopAsync();

            using var cutover = await api.PostJsonAsync($"/api/migrations/{id}/cutover", """{"lockSource": true}""");
            Assert.Equal(202, (int)cutover.StatusCode);
            var final = (await MigrationFixture.PollUntilDoneAsync(api, $"/api/migrations/{id}")).Last();
            Assert.True(final.GetProperty("runtimeStatus").GetString() == "Completed", final.ToString());
            Assert.True(final.GetProperty("output").GetProperty("cutover").GetProperty("downtimeSeconds").GetDouble() > 0, final.ToString());
            await OnlineRun.AssertIdenticalAsync(source, target);
        }
        finally
        {
            await OnlineSource.DropReplicationSlotsAsync(source);
        }
    }

    [Fact]
    public async Task A_cancelled_online_migration_leaves_no_replication_slot_and_no_publication_on_the_source()
    {
        await using var source = await OnlineSource.CreateAsync("online_cancel_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_cancel_dst");
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });
        try
        {
            var id = await StartAsync(api);
            await WaitForReplicationAsync(api, id);
            Assert.Equal(1L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));

            using var cancel = await api.PostJsonAsync($"/api/migrations/{id}/cancel", "{}");
            Assert.Equal(202, (int)cancel.StatusCode);

            Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));
            Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
        }
        finally
        {
            await OnlineSource.DropReplicationSlotsAsync(source);
        }
    }

    private static async Task<string> StartAsync(ApiServer api)
    {
        using var response = await api.PostJsonAsync("/api/migrations", """{"source": "source", "target": "target", "mode": "all", "online": true, "parallelism": 2, "chunkMegabytes": 2}""");
        var body = await ApiServer.ReadJsonAsync(response);
        Assert.True((int)response.StatusCode == 202, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitForReplicationAsync(ApiServer api, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var status = await api.GetJsonAsync($"/api/migrations/{id}");
            Assert.True(status.GetProperty("runtimeStatus").GetString() is "Pending" or "Running", status.ToString());
            if (status.TryGetProperty("replication", out var replication) && replication.ValueKind == JsonValueKind.Object)
            {
                return replication;
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
