using System.Globalization;
using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>
/// Accepts what DBAs paste: libpq URLs (<c>postgresql://user@host:5432/db?sslmode=require</c>) and
/// Npgsql keyword strings (<c>Host=h;Database=d</c>). Passwords are never echoed in errors.
/// </summary>
internal static class ConnectionStringParser
{
    private static readonly string[] UrlSchemes = ["postgresql://", "postgres://"];

    // libpq URL query parameters and the Npgsql keywords they map to.
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["passfile"] = "Passfile",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
        ["keepalives_idle"] = "Keepalive",
        ["client_encoding"] = "Client Encoding",
    };

    public static NpgsqlConnectionStringBuilder Parse(string connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidConnectionException(
                "The connection is empty. Give a libpq URL (postgresql://user@host:5432/db) or an Npgsql string (Host=...;Database=...).");
        }

        var trimmed = connection.Trim();
        var builder = UrlSchemes.Any(s => trimmed.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            ? ParseUrl(trimmed)
            : ParseKeywords(trimmed);

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new InvalidConnectionException(
                $"The connection '{ConnectionDisplay.Describe(builder)}' names no host. Add Host=... or put the host in the URL.");
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder ParseKeywords(string connection)
    {
        if (!connection.Contains('='))
        {
            throw new InvalidConnectionException(
                "The connection is neither a postgresql:// URL nor a Key=Value; string. Example: postgresql://user@host:5432/db?sslmode=require.");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message names the keyword, never its value.
            throw new InvalidConnectionException($"The connection string is malformed: {ex.Message} Check the keyword names (Host, Port, Database, Username, SSL Mode).");
        }
    }

    private static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart >= 0 ? rest[(queryStart + 1)..] : string.Empty;
        if (queryStart >= 0)
        {
            rest = rest[..queryStart];
        }

        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = pathStart >= 0 ? rest[..pathStart] : rest;
        var database = pathStart >= 0 ? Uri.UnescapeDataString(rest[(pathStart + 1)..]) : string.Empty;

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        var hosts = authority.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseHostPort).ToList();
        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            if (hosts[0].Port is { } port)
            {
                builder.Port = port;
            }
        }
        else if (hosts.Count > 1)
        {
            builder.Host = string.Join(',', hosts.Select(h =>
                (h.Host.Contains(':', StringComparison.Ordinal) ? $"[{h.Host}]" : h.Host) + (h.Port is { } p ? $":{p}" : string.Empty)));
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')) : string.Empty;
            if (!UrlParameters.TryGetValue(key, out var keyword))
            {
                throw new InvalidConnectionException(
                    $"The URL parameter '{key}' is not supported. Supported: {string.Join(", ", UrlParameters.Keys.Order())}.");
            }

            try
            {
                builder[keyword] = keyword == "SSL Mode" ? MapSslMode(value) : value;
            }
            catch (ArgumentException)
            {
                throw new InvalidConnectionException($"The URL parameter '{key}' has a value Npgsql does not accept. Check its spelling against the libpq documentation.");
            }
        }

        return builder;
    }

    private static (string Host, int? Port) ParseHostPort(string hostPort)
    {
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new InvalidConnectionException("The URL has an IPv6 host without its closing ']'. Write it as postgresql://user@[::1]:5432/db.");
            }

            host = hostPort[1..close];
            if (close + 1 < hostPort.Length && hostPort[close + 1] == ':')
            {
                port = hostPort[(close + 2)..];
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            port = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }

        host = Uri.UnescapeDataString(host);
        if (port is null)
        {
            return (host, null);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new InvalidConnectionException($"The URL's port '{port}' for host '{host}' is not a number from 1 to 65535.");
        }

        return (host, number);
    }

    // libpq's sslmode names differ from Npgsql's enum in case only, except the verify modes.
    private static string MapSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => throw new InvalidConnectionException(
            $"sslmode '{value}' is unknown. Use disable, allow, prefer, require, verify-ca or verify-full."),
    };
}
