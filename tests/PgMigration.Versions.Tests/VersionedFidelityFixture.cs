using PgMigration.Testing;
namespace PgMigration.Versions.Tests;

/// <summary>
/// The fidelity fixture (tests/PgMigration.Core.Tests/Fixtures) on a server of any major: fidelity.sql,
/// then what 17 and 18 added (Fixtures/fidelity-17.sql, fidelity-18.sql) where the server has it, then
/// the sample rows. fidelity.sql is written for 15: on older servers the statements they lack (unlogged
/// sequences, NULLS NOT DISTINCT, SQL-standard function bodies, column compression, publication row
/// filters) and what depends on them fail and are left out; any other error fails the load.
/// </summary>
public static class VersionedFidelityFixture
{
    private static readonly string[] MissingFeatureErrors = ["syntax error", "not supported", "does not exist"];

    public static async Task LoadAsync(TestDatabase database, int major)
    {
        var files = new List<(string File, bool Exact)> { ("fidelity.sql", major >= 15) };
        if (major >= 17)
        {
            files.Add(("fidelity-17.sql", true));
        }

        if (major >= 18)
        {
            files.Add(("fidelity-18.sql", true));
        }

        files.Add(("sample-data.sql", major >= 15));
        foreach (var (file, exact) in files)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", file);
            var run = await NewestClient.RunAsync("psql", database.ConnectionString, "-X", "-q", "-v", $"ON_ERROR_STOP={(exact ? 1 : 0)}", "-f", path);
            var errors = run.Error.Split('\n').Where(l => l.Contains("ERROR:", StringComparison.Ordinal)).ToList();
            var unexpected = exact ? errors : errors.Where(e => !MissingFeatureErrors.Any(m => e.Contains(m, StringComparison.Ordinal))).ToList();
            if (run.ExitCode != 0 || unexpected.Count > 0)
            {
                throw new InvalidOperationException($"Loading {file} on PostgreSQL {major} failed ({run.ExitCode}):\n{string.Join('\n', unexpected)}\n{run.Error}");
            }
        }
    }
}
