using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>~/.pgpass as libpq reads it: used when only its owner can read it, ignored with libpq's warning otherwise.</summary>
public class PasswordFileTests
{
    [Fact]
    public async Task A_pgpass_that_group_or_others_can_read_is_ignored_with_libpqs_warning_and_one_for_the_owner_only_is_used()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var source = await PostgresServer.CreateDatabaseAsync("pgpass_src");
        var admin = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        Assert.False(string.IsNullOrEmpty(admin.Password), "The test server must sign in with a password for this test to mean anything.");
        var home = Directory.CreateTempSubdirectory("pgmigrate-home-").FullName;
        var pgpass = Path.Combine(home, ".pgpass");
        await File.WriteAllTextAsync(pgpass, $"{admin.Host}:{admin.Port}:*:{admin.Username}:{admin.Password}\n");
        var url = $"postgresql://{admin.Username}@{admin.Host}:{admin.Port}/{admin.Database}";
        var environment = new Dictionary<string, string> { ["HOME"] = home };
        try
        {
            File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var open = await RunAsync(environment, "plan", "--source", url);

            Assert.Equal(ExitCodes.BadUsage, open.ExitCode);
            Assert.Contains($"WARNING: password file \"{pgpass}\" has group or world access; permissions should be u=rw (0600) or less", open.Error, StringComparison.Ordinal);
            Assert.Contains("password", open.Error.Split('\n').Last(l => l.StartsWith("error:", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(admin.Password!, open.Error + open.Output, StringComparison.Ordinal);

            File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var owned = await RunAsync(environment, "plan", "--source", url);

            Assert.True(owned.ExitCode == 0, $"exit {owned.ExitCode}\n{owned.Error}");
            Assert.DoesNotContain("WARNING", owned.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = PgMigrateProcess.Start(environment, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var exitCode = await process.WaitForExitAsync(timeout.Token);
        return new CliResult(exitCode, process.Output, process.Error);
    }
}
