using System.Collections.Concurrent;
using Npgsql;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class AutovacuumPauseTests
{
    [Fact]
    public async Task Tables_load_with_autovacuum_off_and_end_with_the_sources_options()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("av_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("av_dst");
        await source.ExecuteAsync("""
            CREATE TABLE public.loaded (id int PRIMARY KEY, note text) WITH (fillfactor = 90);
            CREATE TABLE public.kept_off (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
            CREATE TABLE public.kept_on (id int PRIMARY KEY) WITH (autovacuum_enabled = true);
            INSERT INTO public.loaded SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
            INSERT INTO public.kept_off SELECT g FROM generate_series(1, 100) g;
            INSERT INTO public.kept_on SELECT g FROM generate_series(1, 100) g;
            ANALYZE;
            """);

        // What the target says of each table's options while its rows are arriving.
        var whileLoading = new ConcurrentDictionary<string, string>();
        await InProcessMigration.RunAsync(
            source,
            target,
            new MigrationInput { Id = "av", Source = "source", Target = "target", Parallelism = 2 },
            progress => whileLoading.TryAdd(progress.Chunk.Table.Name, OptionsOf(target.ConnectionString, progress.Chunk.Table.Name)));

        Assert.Equal("{fillfactor=90,autovacuum_enabled=false}", whileLoading["loaded"]);
        Assert.Equal("{autovacuum_enabled=false}", whileLoading["kept_off"]);
        Assert.Equal("{autovacuum_enabled=true}", whileLoading["kept_on"]);
        foreach (var table in new[] { "loaded", "kept_off", "kept_on" })
        {
            Assert.Equal(OptionsOf(source.ConnectionString, table), OptionsOf(target.ConnectionString, table));
        }
    }

    private static string OptionsOf(string connectionString, string table)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT coalesce(reloptions::text, '') FROM pg_class WHERE oid = @table::regclass", connection);
        command.Parameters.AddWithValue("table", $"public.{table}");
        return (string)command.ExecuteScalar()!;
    }
}
