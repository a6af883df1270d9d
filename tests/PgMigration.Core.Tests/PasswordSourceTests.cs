using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>Passwords come from where psql takes them, when the connection string has none.</summary>
[Collection(nameof(ProcessEnvironment))]
public class PasswordSourceTests
{
    [Fact]
    public async Task PGPASSWORD_is_used_when_the_connection_has_no_password()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync());
        var password = admin.Password!;
        var url = $"postgresql://{admin.Username}@{admin.Host}:{admin.Port}/postgres";

        var previous = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", password);
        try
        {
            await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", url));
            await using var command = dataSource.CreateCommand("select 1");
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", previous);
        }
    }

    [Fact]
    public async Task A_pgpass_file_named_by_PGPASSFILE_is_used()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync());
        var passfile = Path.Combine(Path.GetTempPath(), $"pgpass-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passfile, $"# comment\n{admin.Host}:{admin.Port}:*:{admin.Username}:{admin.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var previous = Environment.GetEnvironmentVariable("PGPASSFILE");
        Environment.SetEnvironmentVariable("PGPASSFILE", passfile);
        try
        {
            var url = $"postgresql://{admin.Username}@{admin.Host}:{admin.Port}/postgres";
            await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", url));
            await using var command = dataSource.CreateCommand("select 1");
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSFILE", previous);
            File.Delete(passfile);
        }
    }

    [Fact]
    public void A_PGPASSFILE_that_does_not_exist_is_named_in_the_error()
    {
        var previous = Environment.GetEnvironmentVariable("PGPASSFILE");
        Environment.SetEnvironmentVariable("PGPASSFILE", "/nonexistent/pgpass");
        try
        {
            var ex = Assert.Throws<InvalidConnectionException>(() => DataSourceFactory.Create(ConnectionSpec.Parse("source", "postgresql://u@127.0.0.1/db")));
            Assert.Contains("/nonexistent/pgpass", ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSFILE", previous);
        }
    }

    [Fact]
    public async Task Without_any_password_source_the_server_refuses_and_the_error_says_so()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync());
        var previous = (Environment.GetEnvironmentVariable("PGPASSWORD"), Environment.GetEnvironmentVariable("PGPASSFILE"));
        Environment.SetEnvironmentVariable("PGPASSWORD", null);
        Environment.SetEnvironmentVariable("PGPASSFILE", null);
        try
        {
            var url = $"postgresql://{admin.Username}@{admin.Host}:{admin.Port}/postgres";
            await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", url));
            var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());
            Assert.Contains("password", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", previous.Item1);
            Environment.SetEnvironmentVariable("PGPASSFILE", previous.Item2);
        }
    }
}
