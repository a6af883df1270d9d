using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class HostileInputTests
{
    [Theory]
    [InlineData("not a connection string", "neither a postgresql:// URL nor a Key=Value")]
    [InlineData("postgresql://user@host:99999/db", "port '99999'")]
    [InlineData("Host=h;Frobnicate=1", "malformed")]
    public async Task Malformed_connection_strings_are_bad_usage(string connection, string expected)
    {
        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", connection, "--target", "Host=127.0.0.1;Database=x");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_host_is_bad_usage_naming_the_server()
    {
        var port = FreePort();
        var result = await PgMigrateProcess.RunAsync("plan", "--source", $"Host=127.0.0.1;Port={port};Database=db;Username=u;Password=p");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains($"Cannot connect to the source server u@127.0.0.1:{port}/db", result.Error, StringComparison.Ordinal);
        Assert.Contains("Check the host name and port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_bad_usage_and_the_password_is_never_printed()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync()) { Password = "Sup3r-Secret-Wrong" };

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", admin.ConnectionString, "--target", admin.ConnectionString);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("password authentication failed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-Secret-Wrong", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_bad_usage()
    {
        var admin = new NpgsqlConnectionStringBuilder(await PostgresServer.AdminConnectionStringAsync()) { Database = "no_such_database_here" };

        var result = await PgMigrateProcess.RunAsync("plan", "--source", admin.ConnectionString);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("the database does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_schema_in_a_filter_is_bad_usage_listing_the_real_schemas()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("unk_src");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--dry-run", "--source", source.ConnectionString, "--include", "sales");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--include 'sales': no schema in the source matches 'sales'", result.Error, StringComparison.Ordinal);
        Assert.Contains("audit", result.Error, StringComparison.Ordinal);
    }

    // The data plan is made while the catalog is read, from the same patterns; it must not be stored
    // before the catalog has shown them to be wrong, or the corrected rerun would resume from it.
    [Fact]
    public async Task A_mistyped_filter_leaves_no_plan_behind_for_the_corrected_rerun()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("typo_src", withData: true);
        await using var target = await PostgresServer.CreateDatabaseAsync("typo_dst");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-typo-{Guid.NewGuid():N}");

        var typo = await PgMigrateProcess.RunAsync(
            "migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints, "--include", "ap*.orders_typo");
        var fixedRun = await PgMigrateProcess.RunAsync(
            "migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints, "--include", "app");

        Assert.Equal(ExitCodes.BadUsage, typo.ExitCode);
        Assert.Contains("--include 'ap*.orders_typo': no table, view or sequence in the source matches it", typo.Error, StringComparison.Ordinal);
        Assert.True(fixedRun.ExitCode == 0, fixedRun.Error);
        var rows = await source.ScalarAsync<long>("SELECT count(*) FROM app.orders");
        Assert.True(rows > 0);
        Assert.Equal(rows, await target.ScalarAsync<long>("SELECT count(*) FROM app.orders"));
    }

    [Fact]
    public async Task A_filter_that_breaks_a_foreign_key_is_bad_usage_naming_both_ends()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("brk_src");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--dry-run", "--source", source.ConnectionString, "--exclude", "app.customers");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("foreign key orders_customer_id_fkey ON app.orders depends on table app.customers", result.Error, StringComparison.Ordinal);
        Assert.Contains("view app.order_totals depends on table app.customers", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_target_without_dry_run_is_bad_usage()
    {
        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", "Host=127.0.0.1;Database=a");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--target is required", result.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
