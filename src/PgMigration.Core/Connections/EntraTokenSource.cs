using Azure.Core;

namespace PgMigration.Core.Connections;

/// <summary>Entra ID access tokens for Azure Database for PostgreSQL, used as the connection password.</summary>
internal sealed class EntraTokenSource(TokenCredential credential)
{
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    // Refresh well before expiry; Npgsql asks again after this interval.
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan FailureRetryInterval = TimeSpan.FromSeconds(10);

    public async ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken = default)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        return token.Token;
    }
}
