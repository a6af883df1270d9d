using Azure.Core;
using Azure.Identity;
using Npgsql;
using Npgsql.Replication;
using PgMigration.Core.Connections;

namespace PgMigration.Core.Online;

/// <summary>
/// Opens replication connections to a named source: Npgsql's replication connections take a connection
/// string, not a data source, so an Entra token is fetched here and given as the password.
/// </summary>
internal static class ReplicationConnector
{
    public static async Task<LogicalReplicationConnection> OpenAsync(ConnectionSpec spec, TokenCredential? credential, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(spec.Builder.ConnectionString)
        {
            ApplicationName = "pgmigrate-replication",
            Pooling = false,
        };
        if (spec.Authentication == AuthenticationKind.EntraId)
        {
            credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = spec.ManagedIdentityClientId });
            builder.Password = await new EntraTokenSource(credential).GetPasswordAsync(cancellationToken);
        }

        var connection = new LogicalReplicationConnection(builder.ConnectionString);
        try
        {
            await connection.Open(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
