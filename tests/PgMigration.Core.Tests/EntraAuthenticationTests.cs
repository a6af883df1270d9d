using Azure.Core;
using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Core.Tests.Connections;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>
/// The managed-identity path on a real server: a role whose password is the token the credential
/// hands out, so that only a connection that really used the token (and a refreshed one) gets in.
/// </summary>
public class EntraAuthenticationTests
{
    [Fact]
    public async Task Entra_token_is_the_password_and_refreshed_tokens_are_used_for_new_connections()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("entra");
        var role = $"entra_{Guid.NewGuid():N}"[..20];
        var credential = new SequenceCredential();
        credential.Current = $"first-{Guid.NewGuid():N}";
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{credential.Current}'");
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(db.ConnectionString);
            var spec = ConnectionSpec.Parse("entra", $"Host={admin.Host};Port={admin.Port};Database={db.Name};Username={role};Auth=Entra;SSL Mode=Require");
            Assert.Equal(AuthenticationKind.EntraId, spec.Authentication);

            // The test server has no TLS; everything else is the production path.
            var plain = spec with { Builder = new NpgsqlConnectionStringBuilder(spec.Builder.ConnectionString) { SslMode = SslMode.Disable } };
            await using var dataSource = DataSourceFactory.Create(plain, credential, tokenRefreshInterval: TimeSpan.FromMilliseconds(300));

            Assert.Equal(role, await CurrentUserAsync(dataSource));
            Assert.All(credential.Scopes, scope => Assert.Equal(EntraTokenSource.Scope, scope));

            // The old token stops working, as an expired one would; only a refreshed token gets a new connection in.
            credential.Current = $"second-{Guid.NewGuid():N}";
            await db.ExecuteAsync($"ALTER ROLE {role} PASSWORD '{credential.Current}'");
            var issuedBefore = credential.Issued;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (credential.Issued < issuedBefore + 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            dataSource.Clear();
            Assert.True(credential.Issued >= issuedBefore + 2, "Npgsql never asked the credential for a fresh token.");
            Assert.Equal(role, await CurrentUserAsync(dataSource));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_token_the_server_does_not_accept_is_refused_with_28P01()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("entra");
        var role = $"entra_{Guid.NewGuid():N}"[..20];
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'some-other-token'");
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(db.ConnectionString);
            var spec = ConnectionSpec.Parse("entra", $"Host={admin.Host};Port={admin.Port};Database={db.Name};Username={role};Auth=Entra");
            var plain = spec with { Builder = new NpgsqlConnectionStringBuilder(spec.Builder.ConnectionString) { SslMode = SslMode.Disable } };
            await using var dataSource = DataSourceFactory.Create(plain, new SequenceCredential());
            var ex = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());
            Assert.Equal("28P01", ex.SqlState);
        }
        finally
        {
            await db.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task An_Entra_connection_verifies_the_server_certificate_and_name_over_real_TLS()
    {
        await using var cluster = await TlsPostgresCluster.StartAsync();
        var role = $"entra_{Guid.NewGuid():N}"[..20];
        var credential = new SequenceCredential { Current = $"token-{Guid.NewGuid():N}" };
        await cluster.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{credential.Current}'");
        var trusted = Uri.EscapeDataString(cluster.CertificatePath);

        // No sslmode given: the Entra marker alone turns on verify-full.
        var spec = ConnectionSpec.Parse("target", $"postgresql://{role}@localhost:{cluster.Port}/postgres?auth=entra&sslrootcert={trusted}");
        Assert.Equal(SslMode.VerifyFull, spec.Builder.SslMode);
        await using (var dataSource = DataSourceFactory.Create(spec, credential))
        {
            await using var command = dataSource.CreateCommand("SELECT current_user::text, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(role, reader.GetString(0));
            Assert.True(reader.GetBoolean(1), "The connection is not encrypted.");
        }

        // The certificate names localhost only, so by address the name check fails; a CA that did not sign it fails too.
        var otherCa = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.crt");
        using (var otherKey = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=localhost", otherKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, other.ExportCertificatePem());
        }

        try
        {
            foreach (var wrong in new[]
            {
                $"postgresql://{role}@127.0.0.1:{cluster.Port}/postgres?auth=entra&sslrootcert={trusted}",
                $"postgresql://{role}@localhost:{cluster.Port}/postgres?auth=entra&sslrootcert={Uri.EscapeDataString(otherCa)}",
            })
            {
                await using var refused = DataSourceFactory.Create(ConnectionSpec.Parse("target", wrong), credential);
                var ex = await Assert.ThrowsAsync<NpgsqlException>(async () => await refused.OpenConnectionAsync());
                Assert.IsType<System.Security.Authentication.AuthenticationException>(ex.InnerException);
            }
        }
        finally
        {
            File.Delete(otherCa);
        }
    }

    [Theory]
    [InlineData("postgresql://app@srv.postgres.database.azure.com/db?auth=entra")]
    [InlineData("postgresql://app@srv.postgres.database.azure.com/db?auth=entra&sslmode=prefer")]
    [InlineData("Host=srv.postgres.database.azure.com;Database=db;Username=app;Auth=Entra")]
    public void Entra_connections_verify_the_server_certificate_and_name(string connection)
    {
        var spec = ConnectionSpec.Parse("target", connection);
        Assert.Equal(AuthenticationKind.EntraId, spec.Authentication);
        Assert.Equal(SslMode.VerifyFull, spec.Builder.SslMode);
    }

    [Fact]
    public void A_user_assigned_identity_is_taken_from_client_id()
    {
        var spec = ConnectionSpec.Parse("target", "postgresql://app@srv.postgres.database.azure.com/db?auth=entra&client_id=11111111-2222-3333-4444-555555555555");
        Assert.Equal("11111111-2222-3333-4444-555555555555", spec.ManagedIdentityClientId);
    }

    private static async Task<string> CurrentUserAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select current_user");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A TokenCredential (Azure.Core's own abstraction) that hands out whatever token the test made current.</summary>
    private sealed class SequenceCredential : TokenCredential
    {
        private int issued;

        public List<string> Scopes { get; } = [];

        public int Issued => Volatile.Read(ref issued);

        public string Current { get; set; } = "not-a-token";

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            Interlocked.Increment(ref issued);
            return ValueTask.FromResult(new AccessToken(Current, DateTimeOffset.UtcNow.AddMinutes(5)));
        }
    }
}
