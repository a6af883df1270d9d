using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace PgMigration.Testing;

/// <summary>
/// A PostgreSQL cluster of its own, started with the given server settings (those the shared test server
/// cannot change for one test, such as the size of its lock table), and removed when disposed.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly string directory;

    private ThrowawayCluster(string directory, string adminConnectionString)
    {
        this.directory = directory;
        AdminConnectionString = adminConnectionString;
    }

    public string AdminConnectionString { get; }

    /// <param name="settings">Server settings, as for <c>postgres -c name=value</c>.</param>
    public static async Task<ThrowawayCluster> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"pgmigrate-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var port = ServerTool.FreePort();
        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        await ServerTool.HandOverAsync(directory);

        await ServerTool.RunAsync("initdb", "-D", Path.Combine(directory, "data"), "-U", "postgres", $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C.UTF-8");
        var options = string.Join(' ', settings.Select(s => $"-c {s.Key}={s.Value}"));
        var cluster = new ThrowawayCluster(directory, $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={password};Database=postgres");
        await ServerTool.RunAsync(
            "pg_ctl", "-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off {options}",
            "start");
        return cluster;
    }

    /// <summary>A fresh, empty database on this cluster, dropped when disposed.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString, AdminConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ServerTool.RunAsync("pg_ctl", "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(directory, recursive: true);
    }
}
