using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class PhaseProgressTests
{
    [Fact]
    public async Task Migrate_reports_verification_by_tables_and_bytes_hashed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("phasesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("phasetgt");
        await source.ExecuteAsync("""
            CREATE TABLE public.accounts (id int PRIMARY KEY, email text NOT NULL);
            CREATE TABLE public.visits (id bigint PRIMARY KEY, account int NOT NULL REFERENCES public.accounts);
            INSERT INTO public.accounts SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
            INSERT INTO public.visits SELECT g, 1 + g % 20000 FROM generate_series(1, 40000) g;
            ANALYZE;
            """);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-phases-{Guid.NewGuid():N}");

        var result = await PgMigrateProcess.RunAsync(
            "migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints, "--parallelism", "1");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Error.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // Both tables were verified while the data phase went on (each as soon as it was keyed): the verify
        // phase starts with them done and says so in tables and bytes.
        var last = Assert.Single(lines, l => l.StartsWith("Verify: 2/2 tables, ", StringComparison.Ordinal));
        Assert.Matches(@"^Verify: 2/2 tables, (\d+\.\d) of \1 MB hashed$", last);
    }
}
