using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Versions.Tests;

/// <summary>pg_dump, pg_restore and psql of PostgreSQL 18, which read and write every server of the matrix.</summary>
public static class NewestClient
{
    public static Task<ToolResult> RunAsync(string tool, string connectionString, params string[] arguments) =>
        PgTool.RunExecutableAsync(VersionServers.ClientTool(tool), connectionString, ["-d", new NpgsqlConnectionStringBuilder(connectionString).Database!, .. arguments]);

    /// <summary>Schema and rows, as pg_dump 18 prints them without owners, grants and statistics, cleaned of per-run noise.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        var dump = await RunAsync("pg_dump", connectionString, "--no-owner", "--no-privileges", "--no-statistics");
        return dump.ExitCode == 0
            ? Testing.PgDump.Clean(dump.Output)
            : throw new InvalidOperationException($"pg_dump 18 failed ({dump.ExitCode}): {dump.Error}");
    }
}
