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

    [Fact]
    public async Task A_sequence_moved_on_while_rows_were_copied_lands_at_or_past_every_id_the_target_holds()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("seqlivesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("seqlivetgt");
        await source.ExecuteAsync("CREATE TABLE public.orders (id bigserial PRIMARY KEY, note text); INSERT INTO public.orders (note) SELECT 'n' || g FROM generate_series(1, 5000) g;");
        var inserted = 0;

        // Once the catalog has been read and the copy has begun, the source takes more orders.
        await InProcessMigration.RunAsync(
            source,
            target,
            new MigrationInput { Id = "seqlive", Source = "source", Target = "target", Mode = MigrationMode.All },
            onChunkProgress: _ =>
            {
                if (Interlocked.Exchange(ref inserted, 1) == 0)
                {
                    source.ExecuteAsync("INSERT INTO public.orders (note) SELECT 'late' FROM generate_series(1, 500)").GetAwaiter().GetResult();
                }
            });

        Assert.Equal(1, inserted);
        Assert.Equal(await StateAsync(source, "public.orders_id_seq"), await StateAsync(target, "public.orders_id_seq"));
        Assert.True(
            await target.ScalarAsync<long>("SELECT nextval('public.orders_id_seq')") > await target.ScalarAsync<long>("SELECT max(id) FROM public.orders"),
            "The target's next id is one its rows already hold.");
    }
}
