using System.Diagnostics;
using Npgsql;

namespace PgMigration.Testing;

/// <summary>
/// Runs the real pg_dump from PGMIGRATE_TEST_PG_BIN (set by scripts/test.sh) against a test database.
/// Fidelity is judged by PostgreSQL's own dump, not by our reading of the catalog.
/// </summary>
public static class PgDump
{
    public const string BinEnvironmentVariable = "PGMIGRATE_TEST_PG_BIN";

    /// <summary>
    /// <c>pg_dump --schema-only --no-owner --no-privileges</c> without comment lines, SET lines and the
    /// per-run \restrict keys, so two dumps of equal schemas compare equal.
    /// </summary>
    public static async Task<string> SchemaAsync(string connectionString) =>
        Clean(await RunAsync(connectionString, "--schema-only", "--no-owner", "--no-privileges"));

    /// <summary><c>pg_dump --schema-only</c> with owners and privileges, cleaned the same way.</summary>
    public static async Task<string> FullSchemaAsync(string connectionString) =>
        Clean(await RunAsync(connectionString, "--schema-only"));

    private static string Clean(string dump)
    {
        var lines = dump.Split('\n')
            .Where(l => !l.StartsWith("--", StringComparison.Ordinal)
                        && !l.StartsWith("SET ", StringComparison.Ordinal)
                        && !l.StartsWith("SELECT pg_catalog.set_config(", StringComparison.Ordinal)
                        && !l.StartsWith("\\restrict", StringComparison.Ordinal)
                        && !l.StartsWith("\\unrestrict", StringComparison.Ordinal));
        var text = string.Join('\n', lines);
        while (text.Contains("\n\n\n", StringComparison.Ordinal))
        {
            text = text.Replace("\n\n\n", "\n\n", StringComparison.Ordinal);
        }

        return text.Trim();
    }

    public static string Tool(string name)
    {
        var bin = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (string.IsNullOrEmpty(bin) || !File.Exists(Path.Combine(bin, name)))
        {
            throw new InvalidOperationException(
                $"{name} not found: {BinEnvironmentVariable} is '{bin}'. Run the tests with scripts/test.sh, which sets it to the PostgreSQL bin directory.");
        }

        return Path.Combine(bin, name);
    }

    private static async Task<string> RunAsync(string connectionString, params string[] arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Tool("pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments.Concat(["-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, builder.Database!]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = builder.Password ?? string.Empty;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump of {builder.Database} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
