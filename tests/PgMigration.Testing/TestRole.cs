using Npgsql;

namespace PgMigration.Testing;

/// <summary>A login role of its own for one test (roles are server-wide), with the grants the test gives it; dropped after.</summary>
public sealed class TestRole : IAsyncDisposable
{
    private readonly TestDatabase database;

    private TestRole(TestDatabase database, string name, string connectionString)
    {
        this.database = database;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The database's connection string, signing in as this role.</summary>
    public string ConnectionString { get; }

    /// <param name="grants">SQL run in <paramref name="database"/> with {0} standing for the role's name.</param>
    public static async Task<TestRole> CreateAsync(TestDatabase database, string grants)
    {
        var name = $"role_{Guid.NewGuid():N}"[..20];
        var password = Guid.NewGuid().ToString("N");
        await database.ExecuteAsync($"CREATE ROLE {name} LOGIN PASSWORD '{password}'; " + string.Format(System.Globalization.CultureInfo.InvariantCulture, grants, name));
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = name, Password = password };
        return new TestRole(database, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await database.ExecuteAsync($"DROP OWNED BY {Name}; DROP ROLE IF EXISTS {Name}");
    }
}
