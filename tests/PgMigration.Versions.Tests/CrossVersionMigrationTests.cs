namespace PgMigration.Versions.Tests;

/// <summary>
/// The fidelity fixture migrated between majors, judged against pg_dump -Fc | pg_restore of the same pair:
/// both targets dumped by pg_dump 18, pgmigrate's may differ from the source only where the baseline does.
/// The pairs are those scripts/test.sh --versions started servers for.
/// </summary>
public class CrossVersionMigrationTests
{
    public static TheoryData<string> Upgrades => VersionServers.Pairs(downgrades: false);

    public static TheoryData<string> Downgrades => VersionServers.Pairs(downgrades: true);

    [Theory]
    [MemberData(nameof(Upgrades))]
    public async Task Migrating_to_the_same_or_a_newer_major_differs_from_the_source_no_more_than_dump_and_restore(string pairText)
    {
        var pair = VersionServers.Require(pairText);
        await MigratesLikeDumpAndRestoreAsync(pair, fixtureMajor: pair.Source);
    }

    [Theory]
    [MemberData(nameof(Downgrades))]
    public async Task A_newer_source_that_uses_nothing_an_older_target_lacks_migrates_like_dump_and_restore(string pairText)
    {
        // The fixture as the target's major would hold it, on the newer source.
        var pair = VersionServers.Require(pairText);
        await MigratesLikeDumpAndRestoreAsync(pair, fixtureMajor: pair.Target);
    }

    private static async Task MigratesLikeDumpAndRestoreAsync(VersionPair pair, int fixtureMajor)
    {
        await using var source = await VersionServers.CreateDatabaseAsync(pair.Source, pair, "vsrc");
        await using var baseline = await VersionServers.CreateDatabaseAsync(pair.Target, pair, "vbase");
        await using var target = await VersionServers.CreateDatabaseAsync(pair.Target, pair, "vdst");
        await VersionedFidelityFixture.LoadAsync(source, fixtureMajor);

        var archive = Path.Combine(Path.GetTempPath(), $"pgmigrate-baseline-{Guid.NewGuid():N}.dump");
        var dump = await NewestClient.RunAsync("pg_dump", source.ConnectionString, "-Fc", "--no-owner", "--no-privileges", "-f", archive);
        Assert.True(dump.ExitCode == 0, dump.Error);
        // Errors are part of the baseline: what pg_restore cannot do on this pair, pgmigrate need not either.
        await NewestClient.RunAsync("pg_restore", baseline.ConnectionString, "--no-owner", "--no-privileges", archive);
        File.Delete(archive);

        var (run, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);
        Assert.True(run.ExitCode == 0, $"pgmigrate {pair}: exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Directory.Delete(checkpoints, recursive: true);

        var sourceDump = await NewestClient.DumpAsync(source.ConnectionString);
        var byRestore = DumpDifference.Between(sourceDump, await NewestClient.DumpAsync(baseline.ConnectionString));
        var byPgMigrate = DumpDifference.Between(sourceDump, await NewestClient.DumpAsync(target.ConnectionString));
        var beyond = byPgMigrate.Beyond(byRestore);
        Assert.True(beyond.IsEmpty, $"{pair}: pgmigrate's target differs from the source beyond pg_dump | pg_restore's:\n{beyond}");
    }

    [Theory]
    [MemberData(nameof(Downgrades))]
    public async Task A_source_using_what_an_older_target_lacks_is_refused_before_anything_is_written(string pairText)
    {
        var pair = VersionServers.Require(pairText);
        await using var source = await VersionServers.CreateDatabaseAsync(pair.Source, pair, "vsrc");
        await using var target = await VersionServers.CreateDatabaseAsync(pair.Target, pair, "vdst");
        await VersionedFidelityFixture.LoadAsync(source, pair.Source);

        var (run, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);

        Assert.True(run.ExitCode == 2, $"pgmigrate {pair}: exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains($"PostgreSQL {pair.Target}", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", run.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>(
            "SELECT count(*) FROM pg_namespace n WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"));
        Assert.Empty(Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories) : []);
    }
}
