using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests;

/// <summary>
/// The Functions app's own orchestrators, activities and HTTP functions on the in-memory Durable engine,
/// between real databases, judged by pg_dump and row hashes.
/// </summary>
public class FunctionsMigrationTests
{
    // About 30 MB: with chunkMegabytes 1 it has more chunks than MigrationWorkflow.SubWorkflowChunkThreshold.
    private const string BigTable = """
        CREATE TABLE public.events (id bigint PRIMARY KEY, kind text NOT NULL, payload text, amount numeric(12,2));
        INSERT INTO public.events SELECT g, 'kind ' || (g % 17), repeat(md5(g::text), 3), (g % 10000) / 100.0 FROM generate_series(1, 200000) g;
        ANALYZE public.events;
        """;

    [Fact]
    public async Task A_full_migration_started_and_polled_over_HTTP_copies_a_big_table_in_its_own_orchestration_and_ends_equal()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("fnfullsrc", withData: true);
        await using var target = await PostgresServer.CreateDatabaseAsync("fnfulltgt");
        await source.ExecuteAsync(BigTable + "SELECT lo_from_bytea(0, convert_to(repeat(md5(g::text), g), 'UTF8')) FROM generate_series(1, 50) g;");
        await using var app = await FunctionsAppHost.StartAsync(Settings(source, target));

        using (var start = await app.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","parallelism":2,"chunkMegabytes":1,"id":"fn-full"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var last = (await app.PollUntilDoneAsync("/api/migrations/fn-full"))[^1];
        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        var tableOrchestrations = await InstancesAsync(app.DurableClient, "fn-full:");
        Assert.NotEmpty(tableOrchestrations);
        Assert.All(tableOrchestrations, o => Assert.Equal(OrchestrationRuntimeStatus.Completed, o.RuntimeStatus));
        var (listResponse, list) = await app.GetAsync("/api/migrations");
        listResponse.Dispose();
        Assert.Equal(["fn-full"], list.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("instanceId").GetString()));
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        const string LargeObjects = "SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata";
        Assert.Equal(await source.ScalarAsync<string>(LargeObjects), await target.ScalarAsync<string>(LargeObjects));
        // The large objects are a kind of their own, shown as the table they live in.
        var largeObjects = last.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "largeObjects");
        Assert.Equal(
            ("pg_catalog.pg_largeobject", "copied", 50L),
            (largeObjects.GetProperty("displayName").GetString(), largeObjects.GetProperty("state").GetString(), largeObjects.GetProperty("rowsCopied").GetInt64()));
        var verifiedObjects = last.GetProperty("output").GetProperty("verified").EnumerateArray().Single(v => v.GetProperty("kind").GetString() == "largeObjects");
        Assert.Equal((true, 50L), (verifiedObjects.GetProperty("equal").GetBoolean(), verifiedObjects.GetProperty("targetRows").GetInt64()));
    }

    [Fact]
    public async Task Cancel_mid_copy_terminates_every_table_orchestration_stops_all_work_and_the_same_id_resumes_without_duplicates()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fncancelsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fncanceltgt");
        await source.ExecuteAsync(BigTable);
        await using var app = await FunctionsAppHost.StartAsync(Settings(source, target));
        const string Request = """{"source":"source","target":"target","mode":"all","parallelism":2,"chunkMegabytes":1,"batchSize":500,"id":"fn-cancel"}""";

        using (var start = await app.PostJsonAsync("/api/migrations", Request))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await ApiHostExtensions.WaitUntilAsync(async () => await CountAsync(target, "public.events") >= 20_000);
        using (var cancel = await app.Client.PostAsync("/api/migrations/fn-cancel/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        // Once cancel has answered, everything of the run has stopped: nothing more lands, no query of ours runs.
        var (_, status) = await app.GetAsync("/api/migrations/fn-cancel");
        Assert.Equal("Terminated", status.GetProperty("runtimeStatus").GetString());
        var children = await InstancesAsync(app.DurableClient, "fn-cancel:");
        Assert.NotEmpty(children);
        Assert.All(children, c => Assert.Equal(OrchestrationRuntimeStatus.Terminated, c.RuntimeStatus));
        var rowsAtCancel = await CountAsync(target, "public.events");
        Assert.InRange(rowsAtCancel, 20_000, 199_999);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(rowsAtCancel, await CountAsync(target, "public.events"));
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"));

        using (var again = await app.PostJsonAsync("/api/migrations", Request))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.True((await ApiHostExtensions.ReadJsonAsync(again)).GetProperty("resumed").GetBoolean());
        }

        var statuses = await app.PollUntilDoneAsync("/api/migrations/fn-cancel");
        var last = statuses[^1];
        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Resumed migration ended {last}");

        // What the cancelled run committed is marked as resumed, at most the batches in flight at the cancel short of what had landed.
        var resumed = statuses
            .SelectMany(s => s.TryGetProperty("tables", out var tables) ? tables.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(t => t.GetProperty("table").GetString() == "events")
            .Select(t => t.GetProperty("rowsResumed").GetInt64())
            .Distinct()
            .ToList();
        var marked = Assert.Single(resumed);
        Assert.InRange(marked, rowsAtCancel - (2 * 500), rowsAtCancel);
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    [Fact]
    public async Task A_copy_whose_server_session_is_killed_is_retried_and_the_migration_completes_equal()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fntransientsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fntransienttgt");
        await source.ExecuteAsync(BigTable);
        await using var app = await FunctionsAppHost.StartAsync(Settings(source, target));

        using (var start = await app.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","parallelism":1,"batchSize":1000,"id":"fn-transient"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        // Batches are short: terminate the target's COPY session as soon as one is caught running.
        await ApiHostExtensions.WaitUntilAsync(async () => await target.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'COPY%events%' AND state = 'active' AND pid <> pg_backend_pid()) t") > 0);

        var last = (await app.PollUntilDoneAsync("/api/migrations/fn-transient"))[^1];
        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        Assert.Contains(app.Logs.Lines, line => line.Contains("public.events: transient failure", StringComparison.Ordinal));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    [Fact]
    public async Task Rows_the_target_rejects_fail_the_migration_at_once_without_retries_naming_the_table()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fnpermanentsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fnpermanenttgt");
        await source.ExecuteAsync("CREATE TABLE public.prices (id bigint PRIMARY KEY, amount numeric NOT NULL); INSERT INTO public.prices SELECT g, g FROM generate_series(1, 5000) g;");
        await target.ExecuteAsync("CREATE TABLE public.prices (id bigint PRIMARY KEY, amount numeric NOT NULL CHECK (amount < 100));");
        await using var app = await FunctionsAppHost.StartAsync(Settings(source, target));

        var watch = Stopwatch.StartNew();
        using (var start = await app.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","id":"fn-permanent"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var last = (await app.PollUntilDoneAsync("/api/migrations/fn-permanent"))[^1];
        Assert.Equal("Failed", last.GetProperty("runtimeStatus").GetString());
        var error = last.GetProperty("errors")[0].GetString()!;
        Assert.Contains("prices", error, StringComparison.Ordinal);
        Assert.Contains("check constraint", error, StringComparison.OrdinalIgnoreCase);

        // The retry policy would take 2 + 4 + 8 + 16 + 32 seconds between its six attempts.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"The failure took {watch.Elapsed}: it was retried.");
        Assert.Equal(0, await CountAsync(target, "public.prices"));
    }

    internal static async Task<List<OrchestrationMetadata>> InstancesAsync(DurableTaskClient client, string prefix)
    {
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }))
        {
            instances.Add(instance);
        }

        return instances;
    }

    /// <summary>Rows in <paramref name="table"/>, 0 while pre-data has not created it yet.</summary>
    internal static async Task<long> CountAsync(TestDatabase database, string table) =>
        await database.ScalarAsync<bool>($"SELECT to_regclass('{table}') IS NULL") ? 0 : await database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    internal static Dictionary<string, string?> Settings(TestDatabase source, TestDatabase target, string? checkpoints = null) => new()
    {
        ["Connections:source"] = source.ConnectionString,
        ["Connections:target"] = target.ConnectionString,
        ["Checkpoints:Folder"] = checkpoints ?? Path.Combine(Path.GetTempPath(), $"pgmigrate-fn-{Guid.NewGuid():N}"),
    };
}
