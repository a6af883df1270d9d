using Azure.Core;
using Azure.Identity;
using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>Builds the one pooled <see cref="NpgsqlDataSource"/> each server gets.</summary>
public static class DataSourceFactory
{
    // A COPY TO sends one message per row, and with Npgsql's 8 KB read buffer the copier read the socket (and,
    // whenever it had caught up with the server, waited and was woken) every few dozen rows. Alternating scale-50
    // benchmark runs on 2 cores: 64 KB against 8 KB, five pairs, pgmigrate's CPU 0.2-1.0 s less in each and the
    // migration 1.3 s sooner on average; 256 KB against 64 KB, three pairs, faster again. Pooled connections keep
    // their buffer: 256 KB a connection.
    private static readonly int NpgsqlDefaultReadBufferSize = new NpgsqlConnectionStringBuilder().ReadBufferSize;

    internal const int StreamingReadBufferSize = 256 * 1024;

    /// <param name="tokenRefreshInterval">How often Npgsql asks for a fresh Entra token; <see cref="EntraTokenSource.RefreshInterval"/> unless set.</param>
    /// <param name="warn">Where a warning about the connection's password sources goes (stderr, a log).</param>
    public static NpgsqlDataSource Create(
        ConnectionSpec spec, TokenCredential? credential = null, int? maxPoolSize = null, TimeSpan? tokenRefreshInterval = null, Action<string>? warn = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(spec.Builder.ConnectionString)
        {
            ApplicationName = string.IsNullOrEmpty(spec.Builder.ApplicationName) ? "pgmigrate" : spec.Builder.ApplicationName,
            // COPY of wide rows and index builds can run for a long time.
            CommandTimeout = spec.Builder.CommandTimeout == 30 ? 0 : spec.Builder.CommandTimeout,
            ReadBufferSize = spec.Builder.ReadBufferSize == NpgsqlDefaultReadBufferSize ? StreamingReadBufferSize : spec.Builder.ReadBufferSize,
        };
        if (maxPoolSize is { } size)
        {
            builder.MaxPoolSize = Math.Max(size, builder.MinPoolSize);
        }

        RejectMissingPassfile(builder);
        if (spec.Authentication == AuthenticationKind.Password)
        {
            IgnoreOpenPassfile(builder, warn);
        }

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        if (spec.Authentication == AuthenticationKind.EntraId)
        {
            credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = spec.ManagedIdentityClientId ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
            });
            var tokens = new EntraTokenSource(credential);
            dataSourceBuilder.UsePeriodicPasswordProvider(
                (_, ct) => tokens.GetPasswordAsync(ct),
                tokenRefreshInterval ?? EntraTokenSource.RefreshInterval,
                EntraTokenSource.FailureRetryInterval);
        }

        return dataSourceBuilder.Build();
    }

    // Npgsql reads a password file whatever its permissions; libpq ignores one that group or others can
    // read, with a warning, and so do we, by pointing the connection at a file without entries.
    private static void IgnoreOpenPassfile(NpgsqlConnectionStringBuilder builder, Action<string>? warn)
    {
        if (!string.IsNullOrEmpty(builder.Password) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PGPASSWORD")))
        {
            return;
        }

        if (PasswordFile.TooOpenWarning(PasswordFile.PathFor(builder)) is { } warning)
        {
            warn?.Invoke(warning);
            builder.Passfile = PasswordFile.Empty;
        }
    }

    // Npgsql fails on a missing password file with a bare I/O error at first connect; say which file and why.
    private static void RejectMissingPassfile(NpgsqlConnectionStringBuilder builder)
    {
        var passfile = builder.Passfile ?? Environment.GetEnvironmentVariable("PGPASSFILE");
        if (string.IsNullOrEmpty(builder.Password) && !string.IsNullOrEmpty(passfile) && !File.Exists(passfile))
        {
            throw new InvalidConnectionException(
                $"The password file '{passfile}' (from {(builder.Passfile is null ? "PGPASSFILE" : "Passfile")}) does not exist. Fix the path, or unset it and use PGPASSWORD or ~/.pgpass.");
        }
    }
}
