using System.Text.RegularExpressions;
using PgMigration.Core.Checkpoints;
using PgMigration.Testing;
using PgMigration.Testing.Online;
using Xunit.Abstractions;

namespace PgMigration.Cli.Tests.Online;

public class OnlineMigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_source_under_write_load_is_copied_followed_and_cut_over_into_an_identical_target()
    {
        await using var source = await OnlineSource.CreateAsync("online_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_dst");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-online-{Guid.NewGuid():N}");
        var store = new FolderCheckpointStore(checkpoints);
        try
        {
            string[] migrate =
            [
                "migrate", "--online", "--mode", "all", "--source", source.ConnectionString, "--target", target.ConnectionString,
                "--checkpoints", checkpoints, "--parallelism", "2", "--chunk-mb", "2", "--batch-size", "5000",
            ];
            await using var load = WriteLoad.Start(source.ConnectionString);
            using var run = PgMigrateProcess.Start(migrate);

            // The load runs through the copy and on into the follow phase, which applies what it wrote meanwhile.
            var following = await OnlineRun.WaitForAppliedChangesAsync(store, run, minimum: 1);
            var copyLoad = load.Committed;
            await source.ExecuteAsync("TRUNCATE tags; INSERT INTO tags SELECT 'tag' || i, i FROM generate_series(1, 20) i;");
            await Task.Delay(TimeSpan.FromSeconds(8));
            await load.StopAsync();
            output.WriteLine($"load: {copyLoad} transactions until the follow phase applied its first, {load.Committed} in all");

            var cutover = await PgMigrateProcess.RunAsync("cutover", "--checkpoints", checkpoints, "--lock-source");
            Assert.True(cutover.ExitCode == 0, $"exit {cutover.ExitCode}\n{cutover.Output}\n{cutover.Error}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var exitCode = await run.WaitForExitAsync(timeout.Token);
            output.WriteLine(run.Output);
            output.WriteLine(run.Error);
            Assert.True(exitCode == 0, $"exit {exitCode}\n{run.Output}\n{run.Error}");
            Assert.Matches(new Regex(@"downtime window \d+\.\d\ds"), run.Output);

            await OnlineRun.AssertIdenticalAsync(source, target);
            Assert.True(following.ChangesApplied > 0);

            // Run again, the migration is found finished: nothing to follow, no slot made again.
            var again = await PgMigrateProcess.RunAsync(migrate);
            Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}\n{again.Output}\n{again.Error}");
            await OnlineRun.AssertIdenticalAsync(source, target);
        }
        finally
        {
            await OnlineSource.DropReplicationSlotsAsync(source);
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_table_without_a_key_or_replica_identity_refuses_the_start_and_nothing_is_written()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("online_nokey");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_nokey_dst");
        await source.ExecuteAsync("CREATE TABLE keyed (id int PRIMARY KEY); CREATE TABLE loose (at timestamptz, line text); INSERT INTO loose VALUES (now(), 'x');");
        var error = await OnlineRun.RefusedStartAsync(source, target);

        Assert.Contains("public.loose", error, StringComparison.Ordinal);
        Assert.Contains("REPLICA IDENTITY USING INDEX", error, StringComparison.Ordinal);
        Assert.DoesNotContain("public.keyed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_with_large_objects_refuses_the_start_whose_replication_would_not_carry_them()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("online_lo");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_lo_dst");
        await source.ExecuteAsync("CREATE TABLE keyed (id int PRIMARY KEY); SELECT lo_from_bytea(0, 'scanned contract'::bytea);");

        var error = await OnlineRun.RefusedStartAsync(source, target);

        Assert.Contains("1 large object(s), and logical replication does not carry their changes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_without_logical_wal_refuses_the_start_and_nothing_is_written()
    {
        await using var cluster = await ThrowawayCluster.StartAsync(new Dictionary<string, string> { ["wal_level"] = "replica" });
        await using var source = await cluster.CreateDatabaseAsync("replica_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_replica_dst");
        await source.ExecuteAsync("CREATE TABLE keyed (id int PRIMARY KEY); INSERT INTO keyed VALUES (1);");
        var error = await OnlineRun.RefusedStartAsync(source, target);

        Assert.Contains("wal_level is replica, not logical", error, StringComparison.Ordinal);
    }
}
