using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Core.Online;
using PgMigration.Testing;
using PgMigration.Testing.Online;

namespace PgMigration.Core.Tests.Online;

public class ChangeFollowerTests
{
    [Fact]
    public async Task A_follow_run_waits_past_its_duration_for_a_backlog_the_server_is_still_decoding()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("followsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("followtgt");
        const string Table = "CREATE TABLE public.events (id int PRIMARY KEY, note text NOT NULL);";
        await source.ExecuteAsync(Table);
        await target.ExecuteAsync(Table);
        await using var sourceData = NpgsqlDataSource.Create(source.ConnectionString);
        await using var targetData = NpgsqlDataSource.Create(target.ConnectionString);
        var spec = ConnectionSpec.Parse("source", source.ConnectionString);
        OnlineTable[] tables = [new("public", "events", ["id", "note"], [23, 25], ["id"])];
        var (snapshot, consistentLsn) = await ReplicationSetup.CreateAsync(sourceData, spec, null, "pgmigrate_follow_backlog", "pgmigrate_follow_backlog", tables);
        await snapshot.DisposeAsync();
        try
        {
            // One transaction of 300,000 rows: the server sends its first message only once it has decoded the commit,
            // long after a run of 50 ms would have given up, and the next run would start decoding it all over again.
            await source.ExecuteAsync("INSERT INTO public.events SELECT g, repeat('x', 50) FROM generate_series(1, 300000) g");
            var follower = new ChangeFollower(sourceData, spec, null, targetData, new OnlineStart("source", "pgmigrate_follow_backlog", "pgmigrate_follow_backlog", consistentLsn, tables));

            var outcome = await follower.RunAsync(new FollowOptions { MaxDuration = TimeSpan.FromMilliseconds(50) });

            Assert.Equal(300000L, await target.ScalarAsync<long>("SELECT count(*) FROM public.events"));
            Assert.Equal(300000L, outcome.Progress.ChangesApplied);
        }
        finally
        {
            await OnlineSource.DropReplicationSlotsAsync(source);
        }
    }
}
