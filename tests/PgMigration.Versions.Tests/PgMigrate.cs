using System.Diagnostics;

namespace PgMigration.Versions.Tests;

public sealed record PgMigrateResult(int ExitCode, string Output, string Error);

/// <summary>Runs the built pgmigrate as its own process, as a user would.</summary>
public static class PgMigrate
{
    public static async Task<PgMigrateResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pgmigrate.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PGPASSWORD");
        start.Environment.Remove("PGPASSFILE");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new PgMigrateResult(process.ExitCode, await output, await error);
    }

    /// <summary>pgmigrate migrate (mode all) with checkpoints in a fresh folder, which is returned for inspection.</summary>
    public static async Task<(PgMigrateResult Run, string Checkpoints)> MigrateAsync(string source, string target)
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-versions-{Guid.NewGuid():N}");
        return (await RunAsync("migrate", "--source", source, "--target", target, "--checkpoints", checkpoints, "--parallelism", "2"), checkpoints);
    }
}
