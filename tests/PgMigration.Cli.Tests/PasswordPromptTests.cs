using System.Diagnostics;
using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>
/// A password kept off the command line by typing it when asked, as psql asks: on a terminal, unseen, only
/// when a server wants one nothing else gave; never with --no-password or without a terminal; before
/// connecting with --password. Run on a real pseudo-terminal against a server that requires passwords.
/// </summary>
public class PasswordPromptTests
{
    [Fact]
    public async Task A_migration_asks_on_the_terminal_for_each_servers_password_and_neither_echoes_nor_stores_it()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("prompt_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("prompt_dst");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g;");
        var admin = Admin(source);
        var checkpoints = Directory.CreateTempSubdirectory("pgmigrate-prompt-").FullName;
        var home = Directory.CreateTempSubdirectory("pgmigrate-home-").FullName;
        try
        {
            using var terminal = PgMigrateOnTerminal.Start(home, "migrate", "--source", Url(source), "--target", Url(target), "--checkpoints", checkpoints);

            var sourcePrompt = $"Password for user {admin.Username} on {admin.Host}:{admin.Port} (source): ";
            await terminal.WaitForAsync(sourcePrompt);
            await TypeWhenAskedAsync(terminal, admin.Password!);
            var targetPrompt = $"Password for user {admin.Username} on {admin.Host}:{admin.Port} (target): ";
            await terminal.WaitForAsync(targetPrompt, terminal.Screen.IndexOf(sourcePrompt, StringComparison.Ordinal));
            await TypeWhenAskedAsync(terminal, admin.Password!);
            var exitCode = await terminal.WaitForExitAsync();

            Assert.True(exitCode == 0, $"exit {exitCode}\n{terminal.Screen}");
            Assert.Equal(100L, await target.ScalarAsync<long>("SELECT count(*) FROM t"));
            Assert.DoesNotContain(admin.Password!, terminal.Screen, StringComparison.Ordinal);
            Assert.DoesNotContain("warning", terminal.Screen, StringComparison.Ordinal);
            foreach (var file in Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(admin.Password!, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_terminal_a_server_that_wants_a_password_fails_at_once_with_the_clear_error_instead_of_waiting()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("noprompt_src");
        var home = Directory.CreateTempSubdirectory("pgmigrate-home-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            var run = await PgMigrateProcess.RunAsync(new Dictionary<string, string> { ["HOME"] = home }, "plan", "--source", Url(source));

            Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
            Assert.Contains("the server asks for a password and none was given", run.Error, StringComparison.Ordinal);
            Assert.Contains("stdin is not", run.Error, StringComparison.Ordinal);
            Assert.Contains("--source-password-file, PGPASSWORD or ~/.pgpass", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Password for user", run.Error + run.Output, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task No_password_never_asks_even_on_a_terminal_and_a_wrong_typed_password_is_not_asked_again()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("wprompt_src");
        var home = Directory.CreateTempSubdirectory("pgmigrate-home-").FullName;
        try
        {
            using (var never = PgMigrateOnTerminal.Start(home, "plan", "--no-password", "--source", Url(source)))
            {
                var exitCode = await never.WaitForExitAsync();

                Assert.Equal(ExitCodes.BadUsage, exitCode);
                Assert.Contains("pgmigrate does not ask for it with --no-password", never.Screen, StringComparison.Ordinal);
                Assert.DoesNotContain("Password for user", never.Screen, StringComparison.Ordinal);
            }

            using var wrong = PgMigrateOnTerminal.Start(home, "plan", "--source", Url(source));
            await wrong.WaitForAsync("(source): ");
            await TypeWhenAskedAsync(wrong, "not-the-password");
            var wrongExit = await wrong.WaitForExitAsync();

            Assert.Equal(ExitCodes.BadUsage, wrongExit);
            Assert.Contains("password authentication failed (SQLSTATE 28P01)", wrong.Screen, StringComparison.Ordinal);
            Assert.Single(AllIndexes(wrong.Screen, "Password for user"));
            Assert.DoesNotContain("not-the-password", wrong.Screen, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Password_asks_before_connecting_and_the_plan_signs_in_with_what_was_typed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("Wprompt_src");
        await source.ExecuteAsync("CREATE TABLE asked (id int PRIMARY KEY);");
        var admin = Admin(source);
        var home = Directory.CreateTempSubdirectory("pgmigrate-home-").FullName;
        try
        {
            using var terminal = PgMigrateOnTerminal.Start(home, "plan", "--password", "--source", Url(source));
            await terminal.WaitForAsync($"Password for user {admin.Username} on {admin.Host}:{admin.Port} (source): ");
            await TypeWhenAskedAsync(terminal, admin.Password!);
            var exitCode = await terminal.WaitForExitAsync();

            Assert.True(exitCode == 0, $"exit {exitCode}\n{terminal.Screen}");
            Assert.Contains("public.asked", terminal.Screen, StringComparison.Ordinal);
            Assert.DoesNotContain(admin.Password!, terminal.Screen, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Password_without_a_terminal_and_both_password_options_at_once_are_refused_as_bad_usage()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("Wnotty_src");

        var noTerminal = await PgMigrateProcess.RunAsync("plan", "--password", "--source", Url(source));
        var both = await PgMigrateProcess.RunAsync("plan", "--password", "--no-password", "--source", Url(source));

        Assert.Equal(ExitCodes.BadUsage, noTerminal.ExitCode);
        Assert.Contains("--password asks for the source password on the terminal, and stdin is not one", noTerminal.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadUsage, both.ExitCode);
        Assert.Contains("--no-password and --password contradict each other", both.Error, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Admin(TestDatabase database)
    {
        var admin = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.False(string.IsNullOrEmpty(admin.Password), "The test server must sign in with a password for this test to mean anything.");
        return admin;
    }

    private static string Url(TestDatabase database)
    {
        var admin = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"postgresql://{admin.Username}@{admin.Host}:{admin.Port}/{admin.Database}";
    }

    // A person reads the prompt before typing; keys sent the instant it shows could beat the read that hides them.
    private static async Task TypeWhenAskedAsync(PgMigrateOnTerminal terminal, string password)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await terminal.TypeLineAsync(password);
    }

    private static IEnumerable<int> AllIndexes(string text, string part)
    {
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }
}
