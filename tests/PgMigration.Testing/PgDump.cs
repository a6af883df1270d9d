using Npgsql;

namespace PgMigration.Testing;

/// <summary>
/// Runs the real pg_dump from PGMIGRATE_TEST_PG_BIN (set by scripts/test.sh) against a test database.
/// Fidelity is judged by PostgreSQL's own dump, not by our reading of the catalog.
/// </summary>
public static class PgDump
{
    /// <summary>
    /// <c>pg_dump --schema-only --no-owner --no-privileges</c> without comment lines, SET lines and the
    /// per-run \restrict keys, so two dumps of equal schemas compare equal.
    /// </summary>
    public static async Task<string> SchemaAsync(string connectionString) =>
        Clean(await RunAsync(connectionString, "--schema-only", "--no-owner", "--no-privileges"));

    /// <summary><c>pg_dump --schema-only</c> with owners and privileges, cleaned the same way.</summary>
    public static async Task<string> FullSchemaAsync(string connectionString) =>
        Clean(await RunAsync(connectionString, "--schema-only"));

    /// <summary>The whole dump, rows and large objects too, with owners and privileges, cleaned the same way.</summary>
    public static async Task<string> EverythingAsync(string connectionString) =>
        Clean(await RunAsync(connectionString));

    /// <summary>A dump without comment lines, SET lines and \restrict keys.</summary>
    public static string Clean(string dump)
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

    private static Task<string> RunAsync(string connectionString, params string[] arguments) =>
        PgTool.RunAsync("pg_dump", connectionString, [.. arguments, new NpgsqlConnectionStringBuilder(connectionString).Database!]);
}
