using System.Net;
using System.Text.Json;
using PgMigration.Cli.Tests.Http;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>Migrations started, watched, cancelled and resumed over real HTTP, between real databases.</summary>
public class HttpApiMigrationTests
{
    [Fact]
    public async Task A_migration_started_by_POST_reaches_Completed_showing_per_table_progress_and_the_target_equals_the_source()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("httpsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("httptgt");
        await MigrationFixture.FillAsync(source);
        await target.ExecuteAsync(MigrationFixture.Schema);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });

        using var response = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","parallelism":3,"batchSize":500,"id":"http-complete"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await ApiServer.ReadJsonAsync(response);
        Assert.Equal("http-complete", accepted.GetProperty("id").GetString());
        var statusUri = accepted.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(statusUri, response.Headers.Location?.ToString());
        Assert.EndsWith("/api/migrations/http-complete/cancel", accepted.GetProperty("cancelPostUri").GetString(), StringComparison.Ordinal);

        var statuses = await MigrationFixture.PollUntilDoneAsync(api, statusUri);
        var last = statuses[^1];
        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        Assert.Equal("completed", last.GetProperty("customStatus").GetProperty("phase").GetString());
        Assert.Empty(last.GetProperty("errors").EnumerateArray());

        // While it ran, a poll showed rows of some table copied but not yet all of them.
        Assert.Contains(statuses, s => s.GetProperty("runtimeStatus").GetString() == "Running"
            && s.GetProperty("tables").EnumerateArray().Any(t => t.GetProperty("rowsCopied").GetInt64() > 0 && t.GetProperty("state").GetString() == "copying"));
        var tables = last.GetProperty("tables").EnumerateArray().ToDictionary(t => $"{t.GetProperty("schema").GetString()}.{t.GetProperty("table").GetString()}");
        Assert.Equal(MigrationFixture.Tables.Order(), tables.Keys.Order());
        Assert.All(tables.Values, t => Assert.Equal("copied", t.GetProperty("state").GetString()));
        Assert.Equal(60_000, tables["public.orders"].GetProperty("rowsCopied").GetInt64());

        Assert.Equal(await MigrationFixture.FingerprintAsync(source), await MigrationFixture.FingerprintAsync(target));
    }

    [Fact]
    public async Task Mode_all_over_HTTP_into_an_empty_database_leaves_the_same_schema_dump_and_rows()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("httpallsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("httpalltgt");
        await MigrationFixture.FillAsync(source, orders: 20_000);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });

        using var response = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","parallelism":3,"batchSize":2000,"id":"http-all"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var statuses = await MigrationFixture.PollUntilDoneAsync(api, "/api/migrations/http-all");
        Assert.True(statuses[^1].GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {statuses[^1]}");
        var phases = statuses
            .Select(s => s.GetProperty("customStatus"))
            .Where(status => status.ValueKind == JsonValueKind.Object) // a poll before the workflow's first status has none
            .Select(status => status.GetProperty("phase").GetString())
            .Distinct()
            .ToList();
        Assert.Contains("completed", phases);
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await MigrationFixture.FingerprintAsync(source), await MigrationFixture.FingerprintAsync(target));
    }

    [Fact]
    public async Task Mode_all_into_a_target_that_already_has_the_tables_fails_at_once_saying_what_to_do()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("conflictsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("conflicttgt");
        await MigrationFixture.FillAsync(source, orders: 1_000);
        await target.ExecuteAsync(MigrationFixture.Schema);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString });

        using var response = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","id":"conflict"}""");
        var statuses = await MigrationFixture.PollUntilDoneAsync(api, "/api/migrations/conflict", TimeSpan.FromSeconds(30));

        var last = statuses[^1];
        Assert.Equal("Failed", last.GetProperty("runtimeStatus").GetString());
        var error = last.GetProperty("errors")[0].GetString()!;
        Assert.Contains("already has", error, StringComparison.Ordinal);
        Assert.Contains("mode \"data\"", error, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM public.orders"));
    }

    [Fact]
    public async Task With_blob_checkpoints_in_Azurite_a_migration_completes_and_health_and_status_read_the_blobs()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("blobsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("blobtgt");
        await MigrationFixture.FillAsync(source, orders: 10_000);
        var container = $"{Azurite.Endpoint}/checkpoints-{Guid.NewGuid():N}";
        await using var api = await ApiServer.StartAsync(
            new Dictionary<string, string> { ["source"] = source.ConnectionString, ["target"] = target.ConnectionString },
            checkpoints: container,
            storageConnectionString: Azurite.ConnectionString);

        var health = await api.GetJsonAsync("/api/health");
        Assert.Contains(container, health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "storage").GetProperty("detail").GetString(), StringComparison.Ordinal);

        using (var start = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","id":"blob-1","batchSize":1000}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var statuses = await MigrationFixture.PollUntilDoneAsync(api, "/api/migrations/blob-1");
        Assert.True(statuses[^1].GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {statuses[^1]}");
        var orders = statuses[^1].GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "orders");
        Assert.Equal(10_000, orders.GetProperty("rowsCopied").GetInt64());
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await MigrationFixture.FingerprintAsync(source), await MigrationFixture.FingerprintAsync(target));
    }
}
