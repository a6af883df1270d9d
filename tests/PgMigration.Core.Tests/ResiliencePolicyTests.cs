using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class ResiliencePolicyTests
{
    private static readonly ResilienceOptions Fast = new() { FirstDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 3 };

    [Fact]
    public async Task A_terminated_backend_is_retried_and_the_work_completes()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("resil");
        await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", db.ConnectionString));
        var retries = new List<string>();
        var attempts = 0;

        var result = await ResiliencePolicy.Create(Fast, retries.Add).ExecuteAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            if (++attempts == 1)
            {
                await using var kill = new NpgsqlCommand("select pg_terminate_backend(pg_backend_pid())", connection);
                await kill.ExecuteNonQueryAsync(ct);
            }

            await using var command = new NpgsqlCommand("select 42", connection);
            return (int)(await command.ExecuteScalarAsync(ct))!;
        });

        Assert.Equal(42, result);
        Assert.Equal(2, attempts);
        Assert.Single(retries);
    }

    [Fact]
    public async Task A_SQL_error_is_not_retried()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("resil");
        await using var dataSource = DataSourceFactory.Create(ConnectionSpec.Parse("source", db.ConnectionString));
        var attempts = 0;

        var ex = await Assert.ThrowsAsync<PostgresException>(async () => await ResiliencePolicy.Create(Fast).ExecuteAsync(async ct =>
        {
            attempts++;
            await using var command = dataSource.CreateCommand("select * from no_such_table");
            await command.ExecuteNonQueryAsync(ct);
        }));

        Assert.Equal("42P01", ex.SqlState);
        Assert.Equal(1, attempts);
    }
}
