using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>A failed migration says what failed, on which side, and once what to do next, in the command line's words.</summary>
public class FailureMessageTests
{
    [Fact]
    public async Task A_failed_copy_prints_one_advice_line_worded_for_the_command_line()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("advice_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("advice_dst");
        await source.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int); INSERT INTO readings SELECT i, i FROM generate_series(1, 1000) i;");
        await target.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int CHECK (value < 500));");

        var run = await PgMigrateProcess.MigrateDataAsync(source, target);

        Assert.Equal(ExitCodes.MigrationFailed, run.ExitCode);
        Assert.Contains("readings_value_check", run.Error, StringComparison.Ordinal);
        AssertOneCommandLineAdvice(run.Error);
    }

    [Fact]
    public async Task A_failure_on_the_target_while_planning_names_the_target_and_prints_one_advice_line()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("side_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("side_dst");
        await source.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int); INSERT INTO readings SELECT i, i FROM generate_series(1, 100) i;");
        await target.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int);");
        await using var role = await TestRole.CreateAsync(target, "GRANT SELECT, INSERT, DELETE, TRUNCATE ON readings TO {0}");

        // The target passes the checks, then refuses what planning must create there (its bookkeeping schema).
        var run = await PgMigrateProcess.RunAsync(
            "migrate", "--mode", "data", "--source", source.ConnectionString, "--target", role.ConnectionString,
            "--checkpoints", Path.Combine(Path.GetTempPath(), $"pgmigrate-side-{Guid.NewGuid():N}"));

        Assert.Equal(ExitCodes.MigrationFailed, run.ExitCode);
        Assert.Contains("On the target server", run.Error, StringComparison.Ordinal);
        Assert.Contains("permission denied for database", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("source catalog", run.Error, StringComparison.Ordinal);
        AssertOneCommandLineAdvice(run.Error);
    }

    private static void AssertOneCommandLineAdvice(string error)
    {
        var advice = error.Split('\n').Where(l => l.Contains("Fix the cause", StringComparison.Ordinal)).ToList();
        Assert.True(advice.Count == 1, $"Expected one advice line, got {advice.Count}:\n{error}");
        Assert.Contains("run the same command again", advice[0], StringComparison.Ordinal);
        Assert.DoesNotContain("same id", error, StringComparison.Ordinal);
    }
}
