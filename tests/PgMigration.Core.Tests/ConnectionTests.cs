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
}
