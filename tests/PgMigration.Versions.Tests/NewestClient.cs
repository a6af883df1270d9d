using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PgMigration.Versions.Tests;

public sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>pg_dump, pg_restore and psql of PostgreSQL 18, which read and write every server of the matrix.</summary>
public static class NewestClient
{
    public static async Task<ToolResult> RunAsync(string tool, string connectionString, params string[] arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(VersionServers.ClientTool(tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database! }.Concat(arguments))
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

    /// <summary>Schema and rows, as pg_dump 18 prints them without owners, grants and statistics, cleaned of per-run noise.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        var dump = await RunAsync("pg_dump", connectionString, "--no-owner", "--no-privileges", "--no-statistics");
        return dump.ExitCode == 0
            ? Testing.PgDump.Clean(dump.Output)
            : throw new InvalidOperationException($"pg_dump 18 failed ({dump.ExitCode}): {dump.Error}");
    }
}
