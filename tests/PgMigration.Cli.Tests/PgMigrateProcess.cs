using System.Diagnostics;

namespace PgMigration.Cli.Tests;

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the built pgmigrate as its own process, as a user would, and captures what it prints.</summary>
public static class PgMigrateProcess
{
    public static Task<CliResult> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>`migrate --mode data` from <paramref name="source"/> to <paramref name="target"/>, checkpoints in a folder removed after.</summary>
    public static async Task<CliResult> MigrateDataAsync(PgMigration.Testing.TestDatabase source, PgMigration.Testing.TestDatabase target)
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-data-{Guid.NewGuid():N}");
        try
        {
            return await RunAsync(
                "migrate", "--mode", "data", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var exitCode = await process.WaitForExitAsync(timeout.Token);
        return new CliResult(exitCode, process.Output, process.Error);
    }

    /// <summary>Starts pgmigrate and returns at once, so a test can watch it and kill it.</summary>
    public static RunningPgMigrate Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="Start(string[])"/>, with extra environment variables for the child only.</summary>
    public static RunningPgMigrate Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Closed at once (see RunningPgMigrate): stdin is no terminal, so pgmigrate never waits for a password.
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pgmigrate.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the developer's environment may supply a password the test did not give.
        start.Environment.Remove("PGPASSWORD");
        start.Environment.Remove("PGPASSFILE");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new RunningPgMigrate(start);
    }
}
