namespace PgMigration.Infra.Tests;

/// <summary>Where the Bicep under test lives: the repository's infra/ folder and this project's fixtures.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string MainTemplate => Path.Combine(Root, "infra", "main.bicep");

    public static string ParametersFile => Path.Combine(Root, "infra", "main.parameters.json");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgMigrationFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PgMigrationFunctions.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
