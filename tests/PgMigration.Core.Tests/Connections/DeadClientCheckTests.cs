using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Core.Schema;
using PgMigration.Testing;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests.Connections;

public class DeadClientCheckTests
{
    [Fact]
    public async Task Post_data_steps_run_with_the_servers_dead_client_check_on()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("deadclient");
        await using var dataSource = NpgsqlDataSource.Create(target.ConnectionString);
        await PgMigration.Core.Copy.CopyLedger.EnsureAsync(dataSource);
        await target.ExecuteAsync("CREATE TABLE public.seen (setting text)");

        // The step records the setting it ran under.
        var step = new SchemaStep(SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, "seen", "INSERT INTO public.seen SELECT current_setting('client_connection_check_interval');", new("public", "seen"));
        await new PostDataRunner(dataSource, new PostDataOptions { PlanId = "p" }).ApplyStepOnceAsync(step, "p/post-data/0-0");

        Assert.Equal(DeadClientCheck.Interval, await target.ScalarAsync<string>("SELECT setting FROM public.seen"));
        Assert.Equal("0", await target.ScalarAsync<string>("SELECT current_setting('client_connection_check_interval')"));
    }
}
