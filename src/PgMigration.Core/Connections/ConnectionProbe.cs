using System.Net.Sockets;
using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>
/// Opens one connection up front, without retries, so that a wrong host, port, database or password is
/// reported at once as bad input rather than retried as if it were a passing outage.
/// </summary>
public static class ConnectionProbe
{
    public static async Task CheckAsync(NpgsqlDataSource dataSource, ConnectionSpec spec, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            throw new ConnectionFailedException(Describe(spec, ex), ex);
        }
    }

    public static string Describe(ConnectionSpec spec, Exception ex)
    {
        var where = $"Cannot connect to the {spec.Name} server {spec.Display}";
        return ex switch
        {
            PostgresException { SqlState: "28P01" } => $"{where}: password authentication failed (SQLSTATE 28P01). Check the password (in the string, PGPASSWORD or ~/.pgpass) and the user name.",
            PostgresException { SqlState: "28000" } pg => $"{where}: the server rejected the login ({pg.MessageText}, SQLSTATE 28000). Check pg_hba.conf, the user name and sslmode.",
            PostgresException { SqlState: "3D000" } => $"{where}: the database does not exist (SQLSTATE 3D000). Check the database name or create it first.",
            PostgresException pg => $"{where}: {pg.MessageText} (SQLSTATE {pg.SqlState}).",
            _ when IsMissingPassword(ex) => $"{where}: the server asks for a password and none was given (in the connection, PGPASSWORD or the password file ~/.pgpass).",
            _ when Find<SocketException>(ex) is { } socket => $"{where}: {socket.Message}. Check the host name and port, and that the server accepts TCP connections from here.",
            _ when Find<TimeoutException>(ex) is not null => $"{where}: the connection timed out. Check the host, port and firewall.",
            _ => $"{where}: {ex.Message}",
        };
    }

    /// <summary>
    /// Whether the server asked for a password and the client had none to give: psql's "no password supplied",
    /// the one sign-in failure a password typed on a terminal can fix (a wrong password is the server's 28P01).
    /// </summary>
    public static bool IsMissingPassword(Exception ex) =>
        Find<NpgsqlException>(ex) is { } npgsql and not PostgresException
        && npgsql.Message.StartsWith("No password has been provided", StringComparison.Ordinal);

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}

/// <summary>A server could not be reached or refused the login. The message names the server, never a password.</summary>
public sealed class ConnectionFailedException(string message, Exception inner) : Exception(message, inner);
