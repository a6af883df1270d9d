using Npgsql;
using Testcontainers.PostgreSql;

namespace PgMigration.Testing;

/// <summary>
/// The real PostgreSQL server the tests run against. scripts/test.sh starts one and exports
/// PGMIGRATE_TEST_POSTGRES (a superuser connection string); without it, a Testcontainers
/// container is started where a Docker engine exists. With neither, tests fail loudly.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "PGMIGRATE_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> AdminConnection = new(StartAsync);

    public static Task<string> AdminConnectionStringAsync() => AdminConnection.Value;

    /// <summary>A fresh, empty database on the shared server, dropped when disposed; in the server's encoding unless <paramref name="encoding"/> names another.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix, string? encoding = null)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            var encodingClause = encoding is null ? string.Empty : $" ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C'";
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0{encodingClause}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(name, builder.ConnectionString, admin);
    }

    private static async Task<string> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        if (!DockerIsReachable())
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server for the tests: {EnvironmentVariable} is not set and no Docker engine is reachable. " +
                "Run the tests with scripts/test.sh, which installs and starts PostgreSQL, or set " +
                $"{EnvironmentVariable} to a superuser connection string.");
        }

        var container = new PostgreSqlBuilder("postgres:15").Build();
        await container.StartAsync();
        return container.GetConnectionString();
    }

    private static bool DockerIsReachable() =>
        File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));
}
