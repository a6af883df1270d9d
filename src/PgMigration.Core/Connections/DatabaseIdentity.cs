using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>
/// Which database a connection really reaches, whatever host name, address or string form led there: the
/// server's start time and port, and the database's oid. Two connection strings that differ in spelling
/// (localhost and 127.0.0.1, a URL and a keyword string) but reach one database compare equal.
/// </summary>
internal sealed record DatabaseIdentity(DateTime ServerStarted, string Port, uint DatabaseOid, string Database)
{
    public static async Task<DatabaseIdentity> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT pg_postmaster_start_time(), current_setting('port'), d.oid, d.datname::text FROM pg_database d WHERE d.datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DatabaseIdentity(reader.GetDateTime(0), reader.GetString(1), reader.GetFieldValue<uint>(2), reader.GetString(3));
    }

    /// <summary>Refuses a migration whose target is its source, before anything is written to either.</summary>
    public static async Task RefuseSameDatabaseAsync(
        NpgsqlDataSource source, ConnectionSpec sourceSpec, NpgsqlDataSource target, ConnectionSpec targetSpec, CancellationToken cancellationToken = default)
    {
        var identities = await Task.WhenAll(ReadAsync(source, cancellationToken), ReadAsync(target, cancellationToken));
        if (identities[0] == identities[1])
        {
            throw new SameDatabaseException(
                $"The source ({sourceSpec.Display}) and the target ({targetSpec.Display}) are the same database '{identities[0].Database}' on the same server. " +
                "Point the target at a different server or database; nothing was written.");
        }
    }
}

/// <summary>Source and target reach one database: a migration would overwrite what it reads.</summary>
public sealed class SameDatabaseException(string message) : Exception(message);
