using PgMigration.Core.Checkpoints;
using PgMigration.Core.Online;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests.Online;

/// <summary>What the online tests watch and compare: the follow phase's progress, and source against target at the end.</summary>
internal static class OnlineRun
{
    /// <summary>Waits until the follow phase has applied <paramref name="minimum"/> changes (or the run ended).</summary>
    public static async Task<ReplicationProgress> WaitForAppliedChangesAsync(ICheckpointStore store, RunningPgMigrate run, long minimum)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!timeout.IsCancellationRequested)
        {
            Assert.False(run.HasExited, $"pgmigrate ended before following its source:\n{run.Output}\n{run.Error}");
            try
            {
                if (await ReplicationProgress.ReadAsync(store) is { } progress && progress.ChangesApplied >= minimum)
                {
                    return progress;
                }
            }
            catch (IOException)
            {
                // Replaced while being read; the next poll sees the new one.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The follow phase applied no change within 3 minutes:\n{run.Output}\n{run.Error}");
    }

    /// <summary>The target is the source: schema by pg_dump, rows by hash, sequences by value; nothing of the migration is left on either.</summary>
    public static async Task AssertIdenticalAsync(TestDatabase source, TestDatabase target)
    {
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        const string Sequences = "SELECT coalesce(string_agg(format('%s=%s/%s', sequencename, last_value, last_value IS NOT NULL), ',' ORDER BY sequencename), '') FROM pg_sequences";
        Assert.Equal(await source.ScalarAsync<string>(Sequences), await target.ScalarAsync<string>(Sequences));
        Assert.Equal(0L, await source.ScalarAsync<long>($"SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));
        Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
    }

    /// <summary>Runs migrate --online, which must refuse; checks that nothing was written anywhere and returns what it printed.</summary>
    public static async Task<string> RefusedStartAsync(TestDatabase source, TestDatabase target)
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-online-refused-{Guid.NewGuid():N}");
        try
        {
            var run = await PgMigrateProcess.RunAsync("migrate", "--online", "--mode", "all", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);
            Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
            await AssertNothingWrittenAsync(source, target, checkpoints);
            return run.Error;
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    private static async Task AssertNothingWrittenAsync(TestDatabase source, TestDatabase target, string checkpoints)
    {
        Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_publication"));
        Assert.Equal(0L, await source.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"));
        Assert.Empty(Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories) : []);
    }
}
