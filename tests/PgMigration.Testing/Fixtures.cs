namespace PgMigration.Testing;

/// <summary>SQL fixtures shipped next to the test assemblies (tests/PgMigration.Core.Tests/Fixtures).</summary>
public static class Fixtures
{
    /// <summary>The sample database with every object kind pgmigrate migrates, hostile identifiers included.</summary>
    public static string FidelitySql => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fidelity.sql"));

    public static async Task<TestDatabase> CreateFidelityDatabaseAsync(string prefix)
    {
        var database = await PostgresServer.CreateDatabaseAsync(prefix);
        await database.ExecuteAsync(FidelitySql);
        return database;
    }
}
