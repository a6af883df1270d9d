using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>Every sequence lands where the source's stands, including one whose next value is set but not yet handed out.</summary>
public class SequenceValueTests
{
    [Fact]
    public async Task Sequences_called_restarted_and_never_used_land_with_the_same_next_value()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("seqsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("seqtgt");
        await source.ExecuteAsync("""
            CREATE TABLE public.orders (id bigserial PRIMARY KEY, note text);
            INSERT INTO public.orders (note) SELECT 'n' || g FROM generate_series(1, 1200) g;
            SELECT setval('public.orders_id_seq', 1201, false);
            CREATE SEQUENCE public.restarted START 5;
            SELECT nextval('public.restarted'), nextval('public.restarted');
            ALTER SEQUENCE public.restarted RESTART WITH 700;
            CREATE SEQUENCE public.called;
            SELECT nextval('public.called'), nextval('public.called'), nextval('public.called');
            CREATE SEQUENCE public.unused START 42;
            """);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "seq", Source = "source", Target = "target", Mode = MigrationMode.All });

        foreach (var sequence in new[] { "public.orders_id_seq", "public.restarted", "public.called", "public.unused" })
        {
            Assert.Equal(await StateAsync(source, sequence), await StateAsync(target, sequence));
        }

        Assert.Equal(1201, await target.ScalarAsync<long>("SELECT nextval('public.orders_id_seq')"));
        Assert.Equal(700, await target.ScalarAsync<long>("SELECT nextval('public.restarted')"));
    }

    private static Task<string> StateAsync(TestDatabase database, string sequence) =>
        database.ScalarAsync<string>($"SELECT last_value || ' ' || is_called FROM {sequence}");
}
