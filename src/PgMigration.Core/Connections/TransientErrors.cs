using System.Net.Sockets;
using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>Which failures are worth another try: the server or network went away, not the SQL.</summary>
internal static class TransientErrors
{
    // admin_shutdown, crash_shutdown, cannot_connect_now, connection failures,
    // too_many_connections, serialization_failure, deadlock_detected.
    private static readonly HashSet<string> RetryableStates =
    [
        "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004", "53300", "40001", "40P01",
    ];

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => RetryableStates.Contains(pg.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => false,
    };
}
