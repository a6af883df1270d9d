using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>A refused run leaves both servers and the checkpoints exactly as they were.</summary>
public class RefusedRunTests
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

    [Fact]
    public async Task Mode_all_into_a_target_that_has_the_tables_is_refused_with_nothing_written_on_the_target_or_in_the_checkpoints()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("refused_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("refused_dst");
        await source.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100);");
        await target.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY);");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-refused-{Guid.NewGuid():N}");

        var run = await PgMigrateProcess.RunAsync("migrate", "--mode", "all", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);

        Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("already has 1 object(s)", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = '_pgmigrate'"));
        Assert.Empty(Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task A_rerun_with_other_options_over_the_same_checkpoints_is_refused_naming_what_changed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("rerun_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("rerun_dst");
        await source.ExecuteAsync("CREATE TABLE public.a (id int PRIMARY KEY); CREATE TABLE public.b (id int PRIMARY KEY); INSERT INTO public.a SELECT generate_series(1, 50); INSERT INTO public.b SELECT generate_series(1, 70);");
        await target.ExecuteAsync("CREATE TABLE public.a (id int PRIMARY KEY); CREATE TABLE public.b (id int PRIMARY KEY);");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-rerun-{Guid.NewGuid():N}");
        string[] Migrate(string include) => ["migrate", "--mode", "data", "--include", include, "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints];

        var first = await PgMigrateProcess.RunAsync(Migrate("public.a"));
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        var second = await PgMigrateProcess.RunAsync(Migrate("public.b"));

        Assert.True(second.ExitCode == ExitCodes.BadUsage, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Contains("include public.b (the stored plan has public.a)", second.Error, StringComparison.Ordinal);
        Assert.Contains("other --checkpoints", second.Error, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM public.b"));
    }

    [Fact]
    public async Task Mode_data_into_a_database_without_the_tables_is_refused_naming_the_target_and_what_to_do()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("nodata_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("nodata_dst");
        await source.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100);");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-nodata-{Guid.NewGuid():N}");

        var run = await PgMigrateProcess.RunAsync("migrate", "--mode", "data", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);

        Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("has no table public.t, which mode \"data\" copies rows into", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("reading the source catalog", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = '_pgmigrate'"));
        Assert.Empty(Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Mode_data_into_tables_with_foreign_keys_and_triggers_is_refused_before_any_row_is_copied()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("fkdata_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("fkdata_dst");
        const string Schema = """
            CREATE TABLE public.parent (id int PRIMARY KEY);
            CREATE TABLE public.child (id int PRIMARY KEY, parent_id int REFERENCES public.parent);
            CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER stamp BEFORE INSERT ON public.parent FOR EACH ROW EXECUTE FUNCTION public.stamp();
            """;
        await source.ExecuteAsync(Schema + "INSERT INTO public.parent SELECT generate_series(1, 100); INSERT INTO public.child SELECT g, g % 100 + 1 FROM generate_series(1, 5000) g;");
        await target.ExecuteAsync(Schema);

        var run = await PgMigrateProcess.RunAsync("migrate", "--mode", "data", "--source", source.ConnectionString, "--target", target.ConnectionString,
            "--checkpoints", Path.Combine(Path.GetTempPath(), $"pgmigrate-fkdata-{Guid.NewGuid():N}"));

        Assert.True(run.ExitCode == ExitCodes.BadUsage, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("foreign key(s) child_parent_id_fkey on child", run.Error, StringComparison.Ordinal);
        Assert.Contains("trigger(s) stamp on parent", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT (SELECT count(*) FROM public.parent) + (SELECT count(*) FROM public.child)"));
    }
}
