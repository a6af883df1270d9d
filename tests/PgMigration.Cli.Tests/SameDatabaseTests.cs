using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>A target that is the source, however it is spelled, is refused before anything is written anywhere.</summary>
public class SameDatabaseTests
{
    [Theory]
    [InlineData("all")]
    [InlineData("data")]
    [InlineData("schema")]
    public async Task A_target_that_is_the_source_in_another_spelling_is_refused_and_nothing_is_written(string mode)
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("same_src");
        await source.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100);");
        var keywords = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        var url = $"postgresql://{keywords.Username}@{keywords.Host}:{keywords.Port}/{keywords.Database}";
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-same-{Guid.NewGuid():N}");
        var schemasBefore = await source.ScalarAsync<string>("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace");

        var run = await PgMigrateProcess.RunAsync(new Dictionary<string, string> { ["PGPASSWORD"] = keywords.Password! },
            "migrate", "--mode", mode, "--source", source.ConnectionString, "--target", url, "--checkpoints", checkpoints);

        Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("are the same database", run.Error, StringComparison.Ordinal);
        Assert.Equal(schemasBefore, await source.ScalarAsync<string>("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace"));
        Assert.False(Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints, "*", SearchOption.AllDirectories).Any(), "The refused run wrote checkpoints.");
    }
}
