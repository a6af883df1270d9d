using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class VerifyCommandTests
{
    [Fact]
    public async Task Verify_passes_after_a_migration_and_fails_naming_the_table_a_target_change_broke()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("verify_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("verify_dst");
        await source.ExecuteAsync("""
            CREATE TABLE accounts (id int PRIMARY KEY, balance numeric);
            CREATE TABLE notes (body text);
            INSERT INTO accounts SELECT i, i * 1.5 FROM generate_series(1, 5000) i;
            INSERT INTO notes SELECT 'note ' || i FROM generate_series(1, 300) i;
            """);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-verify-{Guid.NewGuid():N}");
        var migrate = await PgMigrateProcess.RunAsync(
            "migrate", "--snapshot", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);
        Assert.True(migrate.ExitCode == 0, migrate.Error);

        var same = await PgMigrateProcess.RunAsync("verify", "--source", source.ConnectionString, "--target", target.ConnectionString);
        await target.ExecuteAsync("UPDATE accounts SET balance = balance + 0.01 WHERE id = 4321");
        var changed = await PgMigrateProcess.RunAsync(
            "verify", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);
        await target.ExecuteAsync("DROP TABLE notes");
        var missing = await PgMigrateProcess.RunAsync("verify", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(same.ExitCode == 0, same.Output + same.Error);
        Assert.Contains("2 tables verified", same.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.MigrationFailed, changed.ExitCode);
        Assert.Contains("public.accounts differ between source and target", changed.Error, StringComparison.Ordinal);
        Assert.Contains("MISMATCH (content)", changed.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.MigrationFailed, missing.ExitCode);
        Assert.Contains("Verifying public.notes failed on the target", missing.Error, StringComparison.Ordinal);
        Directory.Delete(checkpoints, recursive: true);
    }
}
