using System.Diagnostics;
using Npgsql;

namespace PgMigration.Testing;

/// <summary>Runs a PostgreSQL client program from PGMIGRATE_TEST_PG_BIN against a test database.</summary>
public static class PgTool
{
    public const string BinEnvironmentVariable = "PGMIGRATE_TEST_PG_BIN";

    public static string Path(string name)
    {
        var bin = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (string.IsNullOrEmpty(bin) || !File.Exists(System.IO.Path.Combine(bin, name)))
        {
            throw new InvalidOperationException(
                $"{name} not found: {BinEnvironmentVariable} is '{bin}'. Run the tests with scripts/test.sh, which sets it to the PostgreSQL bin directory.");
        }

        return System.IO.Path.Combine(bin, name);
    }

    /// <summary>Runs <paramref name="tool"/> with the connection's host, port and user, the password in PGPASSWORD; returns its output.</summary>
    public static async Task<string> RunAsync(string tool, string connectionString, IEnumerable<string> arguments)
    {
        var result = await RunExecutableAsync(Path(tool), connectionString, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} on {new NpgsqlConnectionStringBuilder(connectionString).Database} failed ({result.ExitCode}): {result.Error}");
        }

        return result.Output;
    }

    /// <summary>Runs a client program with the connection's host, port and user, the password in PGPASSWORD, whatever its exit code.</summary>
    public static async Task<ToolResult> RunExecutableAsync(string executable, string connectionString, IEnumerable<string> arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username! }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password ?? string.Empty;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ToolResult(process.ExitCode, await output, await error);
    }
}

public sealed record ToolResult(int ExitCode, string Output, string Error);
