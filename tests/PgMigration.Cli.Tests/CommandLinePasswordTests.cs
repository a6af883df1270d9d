using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>A password on the command line is visible in ps: pgmigrate says so, and offers files that keep it off.</summary>
public class CommandLinePasswordTests
{
    [Fact]
    public async Task A_password_in_the_source_url_works_but_is_warned_about_on_stderr_without_being_printed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("argpw_src");
        var admin = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        Assert.False(string.IsNullOrEmpty(admin.Password), "The test server must sign in with a password for this test to mean anything.");
        var url = $"postgresql://{admin.Username}:{Uri.EscapeDataString(admin.Password!)}@{admin.Host}:{admin.Port}/{admin.Database}";

        var run = await PgMigrateProcess.RunAsync("plan", "--source", url);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Error}");
        Assert.Contains("warning: the --source connection carries a password", run.Error, StringComparison.Ordinal);
        Assert.Contains("process list (ps)", run.Error, StringComparison.Ordinal);
        Assert.Contains("--source-password-file", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(admin.Password!, run.Error + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_files_sign_in_to_a_server_that_requires_a_password_with_no_password_on_the_command_line()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("pwfile_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("pwfile_dst");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);");
        await target.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);");
        var admin = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        var withoutPassword = (TestDatabase db) => new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = null }.ConnectionString;
        var passwordFile = Path.Combine(Path.GetTempPath(), $"pgmigrate-password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, admin.Password + "\n");
        try
        {
            var without = await PgMigrateProcess.RunAsync("verify", "--source", withoutPassword(source), "--target", withoutPassword(target));
            Assert.Equal(ExitCodes.BadUsage, without.ExitCode);

            var run = await PgMigrateProcess.RunAsync(
                "verify", "--source", withoutPassword(source), "--source-password-file", passwordFile, "--target", withoutPassword(target), "--target-password-file", passwordFile);

            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Error}");
            Assert.DoesNotContain("warning", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(admin.Password!, run.Error + run.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    [Fact]
    public async Task Help_says_that_a_password_in_a_connection_shows_in_ps_and_names_the_password_files()
    {
        var help = await PgMigrateProcess.RunAsync("migrate", "--help");

        Assert.Contains("process list (ps)", help.Output, StringComparison.Ordinal);
        Assert.Contains("--source-password-file", help.Output, StringComparison.Ordinal);
        Assert.Contains("--target-password-file", help.Output, StringComparison.Ordinal);
        // Help wraps its descriptions: the sentence is read as one line.
        Assert.Contains("type it when asked on a terminal", System.Text.RegularExpressions.Regex.Replace(help.Output, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("-w, --no-password", help.Output, StringComparison.Ordinal);
        Assert.Contains("-W, --password", help.Output, StringComparison.Ordinal);
    }
}
