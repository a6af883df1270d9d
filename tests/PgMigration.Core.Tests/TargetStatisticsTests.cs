using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class TargetStatisticsTests
{
    private const string Source = """
        CREATE TABLE public.people (id int PRIMARY KEY, name text NOT NULL);
        CREATE INDEX people_lower_name ON public.people (lower(name));
        CREATE TABLE public.notes (body text);
        INSERT INTO public.people SELECT g, 'Person ' || g FROM generate_series(1, 5000) g;
        INSERT INTO public.notes SELECT 'note ' || g FROM generate_series(1, 3000) g;
        ANALYZE;
        """;

    [Fact]
    public async Task A_migration_leaves_every_copied_table_and_expression_index_with_statistics()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("stats_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("stats_dst");
        await source.ExecuteAsync(Source);

        await MigrateAsync(source, target, "stats-all", MigrationMode.All);

        // The expression index is built after the rows: only an ANALYZE after it gives it statistics.
        Assert.Equal(await StatisticsAsync(source), await StatisticsAsync(target));
        Assert.Equal("notes: 1, people: 2, people_lower_name: 1", await StatisticsAsync(target));
    }

    [Fact]
    public async Task A_data_only_migration_analyzes_the_tables_it_filled()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("stats_dsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("stats_ddst");
        await source.ExecuteAsync(Source);
        await MigrateAsync(source, target, "stats-schema", MigrationMode.Schema);
        Assert.Equal(string.Empty, await StatisticsAsync(target));

        await MigrateAsync(source, target, "stats-data", MigrationMode.Data);

        Assert.Equal(await StatisticsAsync(source), await StatisticsAsync(target));
    }

    private static Task MigrateAsync(TestDatabase source, TestDatabase target, string id, MigrationMode mode) =>
        InProcessMigration.RunAsync(source, target, new MigrationInput { Id = id, Source = "source", Target = "target", Mode = mode, Parallelism = 2 });

    // Which relations have column statistics, and for how many columns (an index's are its expressions').
    private static Task<string> StatisticsAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT coalesce(string_agg(format('%s: %s', tablename, n), ', ' ORDER BY tablename), '')
          FROM (SELECT tablename, count(*) AS n FROM pg_stats WHERE schemaname = 'public' GROUP BY tablename) s
        """);
}
