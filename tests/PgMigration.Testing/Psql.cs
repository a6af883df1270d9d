using System.Diagnostics;
using Npgsql;

namespace PgMigration.Testing;

/// <summary>Runs SQL files with the real psql (PGMIGRATE_TEST_PG_BIN), which splits statements as PostgreSQL does.</summary>
public static class Psql
{
    public static async Task RunFileAsync(string connectionString, string path)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDump.Tool("psql"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-f", path })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password ?? string.Empty;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql -f {path} on {builder.Database} failed ({process.ExitCode}): {await error}");
        }
    }
}
