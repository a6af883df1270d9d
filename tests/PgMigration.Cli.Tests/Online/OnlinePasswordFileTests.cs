using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Testing;
using PgMigration.Testing.Online;

namespace PgMigration.Cli.Tests.Online;

/// <summary>A password given off the command line signs in every connection of an online run, its replication connection too.</summary>
public class OnlinePasswordFileTests
{
    [Fact]
    public async Task A_source_password_from_a_file_reaches_the_replication_connection_of_the_follow_phase()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("online_pwfile_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_pwfile_dst");
        await source.ExecuteAsync("CREATE TABLE kept (id int PRIMARY KEY, v text); INSERT INTO kept SELECT g, 'v' || g FROM generate_series(1, 1000) g;");
        var admin = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        Assert.False(string.IsNullOrEmpty(admin.Password), "The test server must sign in with a password for this test to mean anything.");
        var withoutPassword = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Password = null }.ConnectionString;
        var passwordFile = Path.Combine(Path.GetTempPath(), $"pgmigrate-password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, admin.Password + "\n");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-online-pwfile-{Guid.NewGuid():N}");
        try
        {
            using var run = PgMigrateProcess.Start(
                "migrate", "--online", "--mode", "all", "--source", withoutPassword, "--source-password-file", passwordFile,
                "--target", target.ConnectionString, "--checkpoints", checkpoints);

            // A row written once the follow phase runs reaches the target only through the replication connection.
            var store = new FolderCheckpointStore(checkpoints);
            await OnlineRun.WaitForAppliedChangesAsync(store, run, minimum: 0);
            await source.ExecuteAsync("INSERT INTO kept VALUES (1001, 'after the copy');");
            await OnlineRun.WaitForAppliedChangesAsync(store, run, minimum: 1);
            var cutover = await PgMigrateProcess.RunAsync("cutover", "--checkpoints", checkpoints);
            Assert.True(cutover.ExitCode == 0, $"exit {cutover.ExitCode}\n{cutover.Output}\n{cutover.Error}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var exitCode = await run.WaitForExitAsync(timeout.Token);

            Assert.True(exitCode == 0, $"exit {exitCode}\n{run.Output}\n{run.Error}");
            Assert.Equal(1001L, await target.ScalarAsync<long>("SELECT count(*) FROM kept"));
            Assert.DoesNotContain(admin.Password!, run.Output + run.Error, StringComparison.Ordinal);
        }
        finally
        {
            await OnlineSource.DropReplicationSlotsAsync(source);
            File.Delete(passwordFile);
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }
}
