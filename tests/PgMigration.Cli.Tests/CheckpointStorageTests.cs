using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>Checkpoints that cannot be used or read stop the command at once, naming the place and the fix, without a stack trace.</summary>
public class CheckpointStorageTests
{
    [Fact]
    public async Task Checkpoints_where_no_folder_can_be_made_stop_migrate_and_status_with_exit_2_and_no_stack_trace()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("ckstore_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("ckstore_dst");
        await source.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100);");
        var file = Path.GetTempFileName();
        var underAFile = Path.Combine(file, "checkpoints");

        var migrate = await PgMigrateProcess.RunAsync("migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", underAFile);
        var status = await PgMigrateProcess.RunAsync("status", "--checkpoints", underAFile);

        foreach (var run in new[] { migrate, status })
        {
            Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
            Assert.Contains(underAFile, run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }

        Assert.Contains($"The checkpoint folder {underAFile} cannot be used", migrate.Error, StringComparison.Ordinal);

        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = '_pgmigrate'"));
    }

    [Fact]
    public async Task A_corrupt_checkpoint_stops_the_rerun_at_once_naming_the_file_instead_of_retrying()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("ckcorrupt_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("ckcorrupt_dst");
        const string Schema = "CREATE TABLE public.big (id int PRIMARY KEY, note text); CREATE TABLE public.small (id int PRIMARY KEY, value int);";
        await source.ExecuteAsync(Schema + "INSERT INTO public.big SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g; INSERT INTO public.small SELECT g, g FROM generate_series(1, 100) g; ANALYZE;");
        await target.ExecuteAsync(Schema + "ALTER TABLE public.small ADD CONSTRAINT small_value CHECK (value < 50);");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-ckcorrupt-{Guid.NewGuid():N}");
        string[] Migrate() => ["migrate", "--mode", "data", "--parallelism", "1", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints];
        var first = await PgMigrateProcess.RunAsync(Migrate());
        Assert.True(first.ExitCode == ExitCodes.MigrationFailed, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        var checkpoint = Directory.EnumerateFiles(Path.Combine(checkpoints, "chunks"), "*.json").First();
        await File.WriteAllTextAsync(checkpoint, "{\"chunkId\": \"t00");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var second = await PgMigrateProcess.RunAsync(Migrate());

        Assert.True(second.ExitCode == ExitCodes.BadUsage, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Contains($"The checkpoint {checkpoint} cannot be read", second.Error, StringComparison.Ordinal);
        Assert.Contains("Delete it", second.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("retry", second.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"The rerun took {watch.Elapsed}: it retried.");
    }
}
