using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class FrozenLoadTests
{
    [Fact]
    public async Task A_table_the_migration_creates_and_copies_in_one_batch_lands_frozen_unless_it_is_a_few_pages()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("freeze_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("freeze_dst");
        await source.ExecuteAsync("""
            CREATE TABLE public.keyed (id int PRIMARY KEY, note text);
            CREATE TABLE public.keyless (note text);
            CREATE TABLE public.split (id int PRIMARY KEY, note text);
            CREATE TABLE public.tiny (id int PRIMARY KEY, note text);
            INSERT INTO public.keyed SELECT g, repeat('k', 100) FROM generate_series(1, 15000) g;
            INSERT INTO public.keyless SELECT repeat('n', 100) FROM generate_series(1, 15000) g;
            INSERT INTO public.split SELECT g, repeat('s', 200) FROM generate_series(1, 60000) g;
            INSERT INTO public.tiny SELECT g, repeat('t', 100) FROM generate_series(1, 300) g;
            ANALYZE;
            """);
        var outcome = await InProcessMigration.RunAsync(
            source, target, new MigrationInput { Id = "freeze", Source = "source", Target = "target", Parallelism = 2, ChunkMegabytes = 4 });

        Assert.Equal(4, outcome.TablesVerified);
        await target.ExecuteAsync("CREATE EXTENSION pg_visibility");
        Assert.Equal("frozen", await FrozenAsync(target, "keyed"));
        Assert.Equal("frozen", await FrozenAsync(target, "keyless"));
        // Split into chunks that load side by side, it cannot be truncated by one of them: no FREEZE.
        Assert.Equal("not frozen", await FrozenAsync(target, "split"));
        // A few pages: the TRUNCATE that FREEZE needs would cost more than it saves.
        Assert.Equal("not frozen", await FrozenAsync(target, "tiny"));
    }

    private static Task<string> FrozenAsync(TestDatabase database, string table) => database.ScalarAsync<string>($"""
        SELECT CASE WHEN s.all_frozen = pg_relation_size('public.{table}') / 8192 AND s.all_frozen > 0 THEN 'frozen'
                    WHEN s.all_frozen = 0 THEN 'not frozen'
                    ELSE 'partly frozen: ' || s.all_frozen END
          FROM pg_visibility_map_summary('public.{table}') s
        """);
}
