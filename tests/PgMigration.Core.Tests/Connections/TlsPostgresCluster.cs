using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Connections;

/// <summary>
/// A throwaway PostgreSQL cluster that serves TLS with a self-signed certificate for the name
/// <c>localhost</c> only, so a verify-full client must both trust that certificate and use that name.
/// </summary>
internal sealed class TlsPostgresCluster : IAsyncDisposable
{
    private readonly string directory;

    private TlsPostgresCluster(string directory, int port, string password)
    {
        this.directory = directory;
        Port = port;
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres;SSL Mode=Require";
    }

    public int Port { get; }

    /// <summary>The CA a client must trust: the server's own self-signed certificate.</summary>
    public string CertificatePath => Path.Combine(directory, "server.crt");

    public string AdminConnectionString { get; }

    public static async Task<TlsPostgresCluster> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"pgmigrate-tls-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var port = ServerTool.FreePort();
        var cluster = new TlsPostgresCluster(directory, port, password);

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(cluster.CertificatePath, certificate.ExportCertificatePem());
        var keyPath = Path.Combine(directory, "server.key");
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL refuses a private key others can read.
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var passwordFile = Path.Combine(directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        await ServerTool.HandOverAsync(directory);

        await ServerTool.RunAsync("initdb", "-D", Path.Combine(directory, "data"), "-U", "postgres", $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=trust");
        await ServerTool.RunAsync(
            "pg_ctl", "-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={cluster.CertificatePath} -c ssl_key_file={keyPath}",
            "start");
        return cluster;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ServerTool.RunAsync("pg_ctl", "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(directory, recursive: true);
    }
}
