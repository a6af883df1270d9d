using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>How a connection is shown to people: server, database and user, never a password.</summary>
internal static class ConnectionDisplay
{
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : $"{builder.Username}@";
        var port = builder.Port == NpgsqlConnection.DefaultPort ? string.Empty : $":{builder.Port}";
        return $"{user}{builder.Host}{port}/{builder.Database}";
    }

    /// <summary>The connection string with any password replaced, for diagnostics that need every keyword.</summary>
    public static string Mask(NpgsqlConnectionStringBuilder builder)
    {
        var copy = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        if (!string.IsNullOrEmpty(copy.Password))
        {
            copy.Password = "********";
        }

        return copy.ConnectionString;
    }
}
