using System.Net;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests;

/// <summary>
/// The Functions app on DurableTask.AzureStorage over Azurite, the backend whose state outlives a worker.
/// Tables here stay under MigrationWorkflow.SubWorkflowChunkThreshold chunks: the in-process test sidecar
/// records a started sub-orchestration with an event type of its own, which the Azure Storage history
/// table cannot store (the Functions host's own sidecar does not have this limit).
/// </summary>
public class AzureStorageBackendTests
{
    [Fact]
    public async Task A_worker_stopped_mid_copy_is_replaced_by_a_new_one_on_the_same_task_hub_which_finishes_exactly_once()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fnhubsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fnhubtgt");
        await source.ExecuteAsync("""
            CREATE TABLE public.events (id bigint PRIMARY KEY, kind text NOT NULL, payload text);
            INSERT INTO public.events SELECT g, 'kind ' || (g % 17), repeat(md5(g::text), 3) FROM generate_series(1, 90000) g;
            CREATE TABLE public.kinds (name text PRIMARY KEY);
            INSERT INTO public.kinds SELECT 'kind ' || g FROM generate_series(0, 16) g;
            ANALYZE;
            """);
        var settings = FunctionsMigrationTests.Settings(source, target);
        var taskHub = $"pgmhub{Guid.NewGuid():N}"[..16];
        const string Request = """{"source":"source","target":"target","mode":"all","parallelism":2,"chunkMegabytes":1,"batchSize":500,"id":"fn-hub"}""";

        await using (var first = await FunctionsAppHost.StartAsync(settings, DurableBackend.AzureStorage, taskHub))
        {
            using var start = await first.PostJsonAsync("/api/migrations", Request);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            await ApiHostExtensions.WaitUntilAsync(async () => await FunctionsMigrationTests.CountAsync(target, "public.events") >= 10_000);
        }

        // The first worker is gone with chunks half copied; the second takes over the hub's queues and history.
        Assert.InRange(await FunctionsMigrationTests.CountAsync(target, "public.events"), 10_000, 89_999);
        await using var second = await FunctionsAppHost.StartAsync(settings, DurableBackend.AzureStorage, taskHub);
        var last = (await second.PollUntilDoneAsync("/api/migrations/fn-hub", TimeSpan.FromMinutes(2)))[^1];

        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        Assert.Empty(await FunctionsMigrationTests.InstancesAsync(second.DurableClient, "fn-hub:"));
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }
}
