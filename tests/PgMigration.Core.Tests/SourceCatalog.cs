using PgMigration.Core.Catalog;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>Creates a throwaway database from SQL and reads its catalog, for tests of what is read and generated.</summary>
internal static class SourceCatalog
{
    public static async Task<DatabaseCatalog> ReadAsync(string sql, CatalogReadOptions? options = null)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("catalog");
        await database.ExecuteAsync(sql);
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
        return await new CatalogReader(dataSource, options).ReadAsync();
    }
}
