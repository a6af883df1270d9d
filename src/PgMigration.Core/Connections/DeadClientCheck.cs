using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>
/// Makes the server notice a client that died, during long statements of ours (index builds, checksums):
/// without it a killed run's work goes on for as long as the statement takes, and a rerun waits behind
/// its locks. client_connection_check_interval exists from PostgreSQL 14 on; older servers refuse the
/// name, so it is set per transaction where the server has it rather than as a startup option.
/// </summary>
internal static class DeadClientCheck
{
    public const string Interval = "2s";

    /// <summary>The SET LOCAL for this connection's server, or empty where the server has no such check.</summary>
    public static string SetLocal(NpgsqlConnection connection) =>
        connection.PostgreSqlVersion.Major >= 14 ? $"SET LOCAL client_connection_check_interval = '{Interval}'; " : string.Empty;
}
