using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class ConnectionTests
{
    [Fact]
    public async Task Data_source_connects_to_the_real_server()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("conn");
        var spec = ConnectionSpec.Parse("source", db.ConnectionString);
        await using var dataSource = DataSourceFactory.Create(spec);
        await using var command = dataSource.CreateCommand("select current_database()");
        Assert.Equal(db.Name, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Wrong_password_is_a_permanent_error_not_retried()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync()) { Password = "wrong-password" };
        await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", admin.ConnectionString));
        var ex = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());
        Assert.Equal("28P01", ex.SqlState);
        Assert.False(TransientErrors.IsTransient(ex));
    }

    [Fact]
    public async Task Connections_read_in_blocks_large_enough_for_a_copy_unless_the_connection_string_sets_a_size()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("connbuf");
        await using var defaulted = DataSourceFactory.Create(ConnectionSpec.Parse("source", db.ConnectionString));
        await using var given = DataSourceFactory.Create(ConnectionSpec.Parse("source", db.ConnectionString + ";Read Buffer Size=16384"));

        Assert.Equal(DataSourceFactory.StreamingReadBufferSize, new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).ReadBufferSize);
        Assert.Equal(16384, new NpgsqlConnectionStringBuilder(given.ConnectionString).ReadBufferSize);
        await using var command = defaulted.CreateCommand("SELECT sum(length(repeat('x', g))) FROM generate_series(1, 2000) g");
        Assert.Equal(2001000L, await command.ExecuteScalarAsync());
    }
}
