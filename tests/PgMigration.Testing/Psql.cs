using Npgsql;

namespace PgMigration.Testing;

/// <summary>Runs SQL files with the real psql, which splits statements as PostgreSQL does (BEGIN ATOMIC bodies included).</summary>
public static class Psql
{
    public static Task RunFileAsync(string connectionString, string path) =>
        PgTool.RunAsync("psql", connectionString, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", new NpgsqlConnectionStringBuilder(connectionString).Database!, "-f", path]);
}
