using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>How to authenticate to a server.</summary>
public enum AuthenticationKind
{
    /// <summary>Password from the string, PGPASSWORD or ~/.pgpass, as libpq does.</summary>
    Password,

    /// <summary>Entra ID token from a managed identity or developer credential.</summary>
    EntraId,
}

/// <summary>A named, parsed connection. <see cref="ToString"/> is safe to print.</summary>
public sealed record ConnectionSpec(string Name, NpgsqlConnectionStringBuilder Builder, AuthenticationKind Authentication, string? ManagedIdentityClientId)
{
    public const string EntraMarkerKeyword = "Auth";

    public string Display => ConnectionDisplay.Describe(Builder);

    public bool CarriesPassword => !string.IsNullOrEmpty(Builder.Password);

    public override string ToString() => $"{Name} ({Display})";

    /// <summary>
    /// Parses a URL or keyword string. Entra ID is asked for with <c>auth=entra</c> in a URL query or
    /// <c>Auth=Entra</c> in a keyword string, optionally with <c>client_id</c>/<c>ClientId</c> for a
    /// user-assigned identity.
    /// </summary>
    public static ConnectionSpec Parse(string name, string connection)
    {
        var (cleaned, entra, clientId) = ExtractEntraMarkers(connection);
        var builder = ConnectionStringParser.Parse(cleaned);
        if (entra && builder.SslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer)
        {
            // Tokens are bearer secrets: Azure requires TLS and we verify the server's name.
            builder.SslMode = SslMode.VerifyFull;
        }

        return new ConnectionSpec(name, builder, entra ? AuthenticationKind.EntraId : AuthenticationKind.Password, clientId);
    }

    private static (string Connection, bool Entra, string? ClientId) ExtractEntraMarkers(string connection)
    {
        var entra = false;
        string? clientId = null;
        var trimmed = connection.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            var q = trimmed.IndexOf('?', StringComparison.Ordinal);
            if (q < 0)
            {
                return (trimmed, false, null);
            }

            var kept = new List<string>();
            foreach (var pair in trimmed[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = eq >= 0 ? pair[..eq] : pair;
                var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : string.Empty;
                if (key.Equals("auth", StringComparison.OrdinalIgnoreCase))
                {
                    entra = IsEntra(value);
                }
                else if (key.Equals("client_id", StringComparison.OrdinalIgnoreCase))
                {
                    clientId = value;
                }
                else
                {
                    kept.Add(pair);
                }
            }

            var rebuilt = kept.Count == 0 ? trimmed[..q] : $"{trimmed[..q]}?{string.Join('&', kept)}";
            return (rebuilt, entra, clientId);
        }

        var parts = new List<string>();
        foreach (var part in trimmed.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? part[..eq].Trim() : part.Trim();
            var value = eq >= 0 ? part[(eq + 1)..].Trim() : string.Empty;
            if (key.Equals(EntraMarkerKeyword, StringComparison.OrdinalIgnoreCase))
            {
                entra = IsEntra(value);
            }
            else if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = value;
            }
            else
            {
                parts.Add(part);
            }
        }

        return (string.Join(';', parts), entra, clientId);
    }

    private static bool IsEntra(string value) => value.ToLowerInvariant() switch
    {
        "entra" or "entraid" or "aad" or "managedidentity" => true,
        "password" => false,
        _ => throw new InvalidConnectionException($"auth '{value}' is unknown. Use auth=entra for Entra ID tokens, or leave it out for passwords."),
    };
}
