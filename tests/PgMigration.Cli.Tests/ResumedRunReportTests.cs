using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>A resumed run says what it resumed: rows from an earlier run are marked and left out of rates, and `--snapshot` says one snapshot only when every row came from it.</summary>
public class ResumedRunReportTests
{
    [Fact]
    public async Task A_snapshot_run_resumed_after_a_failure_says_its_rows_come_from_two_snapshots()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("snapreport_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("snapreport_dst");
        const string Schema = "CREATE TABLE public.big (id int PRIMARY KEY, note text); CREATE TABLE public.small (id int PRIMARY KEY, value int);";
        await source.ExecuteAsync(Schema + "INSERT INTO public.big SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g; INSERT INTO public.small SELECT g, g FROM generate_series(1, 100) g; ANALYZE;");
        await target.ExecuteAsync(Schema + "ALTER TABLE public.small ADD CONSTRAINT small_value CHECK (value < 50);");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-snapreport-{Guid.NewGuid():N}");
        string[] Migrate() => ["migrate", "--mode", "data", "--snapshot", "--parallelism", "1", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints];

        var first = await PgMigrateProcess.RunAsync(Migrate());
        Assert.True(first.ExitCode == ExitCodes.MigrationFailed, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        Assert.Contains(", from one snapshot", first.Error, StringComparison.Ordinal);
        Assert.Equal(20000, await target.ScalarAsync<long>("SELECT count(*) FROM public.big"));

        await target.ExecuteAsync("ALTER TABLE public.small DROP CONSTRAINT small_value;");
        var second = await PgMigrateProcess.RunAsync(Migrate());

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.DoesNotContain(", from one snapshot", second.Error, StringComparison.Ordinal);
        Assert.Contains("from a new snapshot", second.Error, StringComparison.Ordinal);
        Assert.Contains("resumed: 20,000 rows from an earlier run", second.Output + second.Error, StringComparison.Ordinal);
        Assert.Contains("of it copied by an earlier run", second.Output + second.Error, StringComparison.Ordinal);
    }
}
