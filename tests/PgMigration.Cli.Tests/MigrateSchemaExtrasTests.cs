using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>Fidelity on a second sample database, written apart from the first (Fixtures/fidelity-extras.sql).</summary>
public class MigrateSchemaExtrasTests
{
    [Fact]
    public async Task Schema_migration_reproduces_sql_standard_bodies_overloads_and_extension_schemas()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("extra_src");
        await Psql.RunFileAsync(source.ConnectionString, Path.Combine(AppContext.BaseDirectory, "Fixtures", "fidelity-extras.sql"));
        await using var target = await PostgresServer.CreateDatabaseAsync("extra_dst");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = await PgDump.SchemaAsync(source.ConnectionString);
        Assert.Contains("BEGIN ATOMIC", expected, StringComparison.Ordinal);
        Assert.Equal(expected, await PgDump.SchemaAsync(target.ConnectionString));
    }
}
