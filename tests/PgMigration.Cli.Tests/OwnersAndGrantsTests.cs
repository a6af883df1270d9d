using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class OwnersAndGrantsTests
{
    // Mode all makes its DDL in the workflow's plan: it must come from the catalog read with owners and grants.
    [Theory]
    [InlineData("schema")]
    [InlineData("all")]
    public async Task Owners_and_grants_option_reproduces_the_full_pg_dump_with_owners_and_privileges(string mode)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] roles = [$"owner_{suffix}", $"Reader {suffix}", $"writer_{suffix}"];
        await using (var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand(string.Join(";", roles.Select(r => $"CREATE ROLE \"{r}\"")), admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await using var source = await Fixtures.CreateFidelityDatabaseAsync("own_src");
            await using var target = await PostgresServer.CreateDatabaseAsync("own_dst");
            await source.ExecuteAsync(
                $"""
                ALTER SCHEMA app OWNER TO "{roles[0]}";
                ALTER TABLE app.customers OWNER TO "{roles[0]}";
                GRANT USAGE ON SCHEMA app TO "{roles[1]}";
                GRANT SELECT ON app.customers TO "{roles[1]}";
                GRANT SELECT, INSERT ON app.orders TO "{roles[2]}" WITH GRANT OPTION;
                GRANT SELECT (id, body) ON app.documents TO "{roles[1]}";
                REVOKE EXECUTE ON FUNCTION app.add_tax(numeric, numeric) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION app.add_tax(numeric, numeric) TO "{roles[2]}";
                ALTER VIEW app.order_totals OWNER TO "{roles[0]}";
                ALTER TYPE app.order_status OWNER TO "{roles[0]}";
                GRANT USAGE ON SEQUENCE app.invoice_no TO "{roles[2]}";
                ALTER AGGREGATE app.product(numeric) OWNER TO "{roles[0]}";
                ALTER SERVER archive_server OWNER TO "{roles[0]}";
                GRANT USAGE ON FOREIGN SERVER archive_server TO "{roles[2]}";
                ALTER FOREIGN TABLE app.archived_orders OWNER TO "{roles[0]}";
                ALTER PUBLICATION orders_pub OWNER TO "{roles[0]}";
                ALTER TEXT SEARCH CONFIGURATION app.my_english OWNER TO "{roles[0]}";
                ALTER OPERATOR app.=~= (text, text) OWNER TO "{roles[0]}";
                ALTER COLLATION app.ci_icu OWNER TO "{roles[0]}";
                """);

            var result = await PgMigrateProcess.RunAsync("migrate", "--mode", mode, "--owners-and-grants", "--source", source.ConnectionString, "--target", target.ConnectionString);

            Assert.True(result.ExitCode == 0, result.Error);
            var expected = await PgDump.FullSchemaAsync(source.ConnectionString);
            Assert.Contains($"GRANT SELECT(id) ON TABLE app.documents TO \"{roles[1]}\";", expected, StringComparison.Ordinal);
            Assert.Equal(expected, await PgDump.FullSchemaAsync(target.ConnectionString));
        }
        finally
        {
            await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand(string.Join(";", roles.Select(r => $"DROP ROLE IF EXISTS \"{r}\"")), admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
