namespace PgMigration.Testing;

/// <summary>SQL fixtures shipped next to the test assemblies (tests/PgMigration.Core.Tests/Fixtures).</summary>
public static class Fixtures
{
    /// <summary>The sample database with every object kind pgmigrate migrates, hostile identifiers included.</summary>
    public static string FidelityPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "fidelity.sql");

    /// <summary>A few thousand rows for the fidelity database.</summary>
    public static string SampleDataPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "sample-data.sql");

    public static async Task<TestDatabase> CreateFidelityDatabaseAsync(string prefix, bool withData = false)
    {
        var database = await PostgresServer.CreateDatabaseAsync(prefix);
        await Psql.RunFileAsync(database.ConnectionString, FidelityPath);
        if (withData)
        {
            await Psql.RunFileAsync(database.ConnectionString, SampleDataPath);
        }

        return database;
    }
}
