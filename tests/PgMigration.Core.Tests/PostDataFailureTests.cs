using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

public class PostDataFailureTests
{
    [Fact]
    public async Task An_object_the_target_rejects_fails_the_migration_after_everything_else_is_finished()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("pdfail_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("pdfail_dst");

        // plus_one calls add_one unqualified: its index cannot be built under the empty search_path of a
        // restore (pg_restore fails on it too), and nothing else needs that index.
        await source.ExecuteAsync("""
            CREATE FUNCTION public.add_one(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
            CREATE FUNCTION public.plus_one(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT add_one($1)';
            CREATE TABLE public.a (id int PRIMARY KEY, n int NOT NULL);
            CREATE INDEX a_plus_one ON public.a (public.plus_one(n));
            CREATE TABLE public.b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES public.a, note text);
            CREATE INDEX b_note ON public.b (note);
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER b_touch BEFORE UPDATE ON public.b FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE SEQUENCE public.tickets START 10;
            SELECT nextval('public.tickets'), nextval('public.tickets');
            INSERT INTO public.a SELECT g, g FROM generate_series(1, 3000) g;
            INSERT INTO public.b SELECT g, g, 'n' || g FROM generate_series(1, 3000) g;
            """);

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() =>
            InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "pdfail", Source = "source", Target = "target", Mode = MigrationMode.All }));

        Assert.Contains("a_plus_one", failure.Message);
        Assert.Contains("add_one(integer) does not exist", failure.Message);

        // Everything but that index is there: keys, the other index, the foreign key, the trigger, the
        // sequence's value, the rows; autovacuum is back on and the engine's bookkeeping is gone.
        var expected = (await PgDump.SchemaAsync(source.ConnectionString)).Replace("CREATE INDEX a_plus_one ON public.a USING btree (public.plus_one(n));\n\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(expected, await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        Assert.Equal(11L, await target.ScalarAsync<long>("SELECT last_value FROM public.tickets"));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND reloptions IS NOT NULL"));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = '_pgmigrate'"));
    }
}
