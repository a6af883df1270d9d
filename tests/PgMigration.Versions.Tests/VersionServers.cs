using PgMigration.Testing;
using Npgsql;

namespace PgMigration.Versions.Tests;

/// <summary>
/// The servers of the version matrix, one per major, that scripts/test.sh starts and names in
/// PGMIGRATE_TEST_POSTGRES_&lt;major&gt;, the pairs it asks for in PGMIGRATE_TEST_VERSION_PAIRS, and the
/// newest client tools (pg_dump, pg_restore, psql 18) in PGMIGRATE_TEST_PG18_BIN. A missing one fails
/// the test with the command that provides it.
/// </summary>
public static class VersionServers
{
    public const string PairsVariable = "PGMIGRATE_TEST_VERSION_PAIRS";

    public const string ClientVariable = "PGMIGRATE_TEST_PG18_BIN";

    /// <summary>The pairs scripts/test.sh started servers for; without it, one entry that fails saying how to run the matrix.</summary>
    public static TheoryData<string> Pairs(bool downgrades)
    {
        var data = new TheoryData<string>();
        var listed = Environment.GetEnvironmentVariable(PairsVariable);
        if (listed is null)
        {
            data.Add("unset");
            return data;
        }

        foreach (var pair in listed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => VersionPair.Parse(p).IsDowngrade == downgrades))
        {
            data.Add(pair);
        }

        return data;
    }

    public static VersionPair Require(string pair) => pair == "unset"
        ? throw new InvalidOperationException(
            $"{PairsVariable} is not set: run the version matrix with `bash scripts/test.sh --versions default` (or `--versions all`, or `--versions '15:18'`), " +
            "which installs and starts a server per PostgreSQL major and builds pg_dump 18.")
        : VersionPair.Parse(pair);

    public static string AdminConnectionString(int major, VersionPair pair)
    {
        var variable = $"PGMIGRATE_TEST_POSTGRES_{major}";
        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"No PostgreSQL {major} server: {variable} is not set. Run `bash scripts/test.sh --versions '{pair}'`, which installs and starts it.");
    }

    public static string ClientTool(string name)
    {
        var bin = Environment.GetEnvironmentVariable(ClientVariable);
        var path = string.IsNullOrEmpty(bin) ? string.Empty : Path.Combine(bin, name);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{name} 18 not found: {ClientVariable} is '{bin}'. Run the tests with `bash scripts/test.sh --versions default`, which builds it into .tools/pg18-client.");
    }

    /// <summary>A fresh database on the server of <paramref name="major"/>, dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(int major, VersionPair pair, string prefix, string createOptions = "")
    {
        var admin = AdminConnectionString(major, pair);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 {createOptions}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, admin);
    }
}
