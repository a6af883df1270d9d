using System.Net;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;
using PgMigration.Testing.Online;

namespace PgMigration.Functions.Tests;

/// <summary>An online migration on the Durable engine: the follow phase as its own orchestration, cut over by HTTP.</summary>
public class FunctionsOnlineMigrationTests
{
    [Fact]
    public async Task The_follow_phase_is_an_orchestration_that_continues_as_new_until_a_cut_over_request_and_the_target_ends_identical()
    {
        await using var source = await OnlineSource.CreateAsync("fnonlinesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("fnonlinetgt");
        await using var app = await FunctionsAppHost.StartAsync(FunctionsMigrationTests.Settings(source, target));
        try
        {
            await using var load = WriteLoad.Start(source.ConnectionString, connections: 2);

            // Started on the engine itself to follow in one-second activities, so that a history fills in seconds.
            var input = new MigrationInput { Id = "fn-online", Source = "source", Target = "target", Online = true, Parallelism = 2, ChunkMegabytes = 2, FollowActivitySeconds = 1 };
            await app.DurableClient.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.Migration, input, new StartOrchestrationOptions("fn-online"));

            // More follow activities than one history holds: the follow orchestration has continued as new.
            await ApiHostExtensions.WaitUntilAsync(
                async () => await FollowActivitiesAsync(app.DurableClient) > FollowWorkflow.IterationsPerHistory,
                TimeSpan.FromMinutes(3));
            var (statusResponse, status) = await app.GetAsync("/api/migrations/fn-online");
            statusResponse.Dispose();
            Assert.Equal(JsonValueKind.Number, status.GetProperty("replication").GetProperty("lagBytes").ValueKind);
            Assert.True(status.GetProperty("replication").GetProperty("changesApplied").GetInt64() > 0, status.ToString());
            await load.StopAsync();

            using (var cutover = await app.PostJsonAsync("/api/migrations/fn-online/cutover", """{"lockSource": true}"""))
            {
                Assert.Equal(HttpStatusCode.Accepted, cutover.StatusCode);
            }

            var last = (await app.PollUntilDoneAsync("/api/migrations/fn-online"))[^1];
            Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
            var follow = await app.DurableClient.GetInstanceAsync("fn-online:follow");
            Assert.Equal(OrchestrationRuntimeStatus.Completed, follow!.RuntimeStatus);
            Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
            Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
            Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));
            Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
        }
        finally
        {
            await PgMigration.Testing.Online.OnlineSource.DropReplicationSlotsAsync(source);
        }
    }

    private static async Task<int> FollowActivitiesAsync(DurableTaskClient client)
    {
        var follow = await client.GetInstanceAsync("fn-online:follow", getInputsAndOutputs: true);
        return follow?.SerializedCustomStatus is { } json ? JsonSerializer.Deserialize<WorkflowProgress>(json, WorkflowJson.Options)!.Done : 0;
    }
}
