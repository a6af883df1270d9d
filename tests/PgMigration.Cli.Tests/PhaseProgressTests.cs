using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class PhaseProgressTests
{
    [Fact]
    public async Task Migrate_reports_verification_by_tables_and_bytes_hashed_naming_the_table_being_verified()
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
        var first = Assert.Single(lines, l => l.StartsWith("Verify: 0/2 tables, 0.0 of ", StringComparison.Ordinal));
        Assert.Contains("MB hashed; now: verifying public.", first, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Verify: 2/2 tables, ", StringComparison.Ordinal) && l.EndsWith(" MB hashed", StringComparison.Ordinal));
        var total = first["Verify: 0/2 tables, 0.0 of ".Length..first.IndexOf(" MB", StringComparison.Ordinal)];
        Assert.Contains($"Verify: 2/2 tables, {total} of {total} MB hashed", lines);
    }
}
