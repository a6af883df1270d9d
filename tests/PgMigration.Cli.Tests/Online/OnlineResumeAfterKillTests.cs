using PgMigration.Core.Checkpoints;
using PgMigration.Core.Online;
using PgMigration.Testing;
using PgMigration.Testing.Online;
using Xunit.Abstractions;

namespace PgMigration.Cli.Tests.Online;

public class OnlineResumeAfterKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_online_migration_killed_during_copy_follow_and_cut_over_and_run_again_ends_identical()
    {
        await using var source = await OnlineSource.CreateAsync("online_kill_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("online_kill_dst");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-online-kill-{Guid.NewGuid():N}");
        var store = new FolderCheckpointStore(checkpoints);
        string[] migrate =
        [
            "migrate", "--online", "--mode", "all", "--source", source.ConnectionString, "--target", target.ConnectionString,
            "--checkpoints", checkpoints, "--parallelism", "2", "--chunk-mb", "2", "--batch-size", "2000",
        ];
        try
        {
            await using var load = WriteLoad.Start(source.ConnectionString, connections: 2);

            // During the copy: the snapshot dies with the process, so the rerun copies again from a new slot.
            using (var run = PgMigrateProcess.Start(migrate))
            {
                await WaitForCopiedRowsAsync(store, run);
                Assert.Null(await store.ReadDocumentAsync(OnlineStart.CopiedDocumentId));
                await run.KillAsync();
            }

            // During the follow phase: the rerun resumes from the position the target committed.
            long killedAt;
            using (var run = PgMigrateProcess.Start(migrate))
            {
                killedAt = (await OnlineRun.WaitForAppliedChangesAsync(store, run, minimum: 500)).ChangesApplied;
                output.WriteLine(run.Error);
                await run.KillAsync();
            }

            // During the cut over, with the source's tables locked by the killed process (its lock ends with it).
            using (var run = PgMigrateProcess.Start(migrate))
            {
                await OnlineRun.WaitForAppliedChangesAsync(store, run, minimum: killedAt + 500);
                await load.StopAsync();
                var cutover = await PgMigrateProcess.RunAsync("cutover", "--checkpoints", checkpoints, "--lock-source");
                Assert.True(cutover.ExitCode == 0, $"exit {cutover.ExitCode}\n{cutover.Output}\n{cutover.Error}");
                await WaitForAsync(() => run.Error.Contains("Cutover ...", StringComparison.Ordinal), run);
                await Task.Delay(300);
                output.WriteLine(run.Error);
                await run.KillAsync();
            }

            using var final = PgMigrateProcess.Start(migrate);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var exitCode = await final.WaitForExitAsync(timeout.Token);
            output.WriteLine(final.Output);
            output.WriteLine(final.Error);
            Assert.True(exitCode == 0, $"exit {exitCode}\n{final.Output}\n{final.Error}");
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

    private static async Task WaitForCopiedRowsAsync(ICheckpointStore store, RunningPgMigrate run) =>
        await WaitForAsync(
            async () =>
            {
                try
                {
                    return (await store.ListChunksAsync()).Any(c => c.Rows > 0);
                }
                catch (IOException)
                {
                    return false;
                }
            },
            run);

    private static Task WaitForAsync(Func<bool> condition, RunningPgMigrate run) => WaitForAsync(() => Task.FromResult(condition()), run);

    private static async Task WaitForAsync(Func<Task<bool>> condition, RunningPgMigrate run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            Assert.False(run.HasExited, $"pgmigrate ended before the kill point:\n{run.Output}\n{run.Error}");
            await Task.Delay(20, timeout.Token);
        }
    }
}
