using System.Diagnostics;
using PgMigration.Core.Schema;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;
using Xunit.Abstractions;

namespace PgMigration.Core.Tests;

public class LargeSchemaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_schema_larger_than_the_targets_lock_table_is_created_in_several_transactions_exactly_once()
    {
        var watch = Stopwatch.StartNew();

        // One transaction creating these 600 tables (each with its TOAST table and index) runs out of shared memory.
        await using var cluster = await SmallLockTableAsync();
        await using var source = await PostgresServer.CreateDatabaseAsync("locks_src");
        await using var target = await cluster.CreateDatabaseAsync("locks_dst");
        await source.ExecuteAsync("""
            DO $$
            BEGIN
                FOR s IN 1..3 LOOP
                    EXECUTE format('CREATE SCHEMA s%s', s);
                    FOR t IN 1..200 LOOP
                        EXECUTE format('CREATE TABLE s%1$s.t%2$s (id int NOT NULL, note text DEFAULT %2$L)', s, t);
                        EXECUTE format('CREATE INDEX ON s%s.t%s (note)', s, t);
                    END LOOP;
                END LOOP;
            END $$;
            """);
        var input = new MigrationInput { Id = "locks", Source = "source", Target = "target", Mode = MigrationMode.Schema };
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-locks-{Guid.NewGuid():N}");

        // The first run is killed once its first pre-data transaction has committed.
        var firstRun = new List<PreDataBatchApplied>();
        await Assert.ThrowsAnyAsync<Exception>(() => InProcessMigration.RunAsync(source, target, input, checkpointsLocation: checkpoints, onPreDataBatchApplied: batch =>
        {
            firstRun.Add(batch);
            throw new MigrationRefusedException("killed between two pre-data transactions");
        }));
        var created = await target.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname LIKE 's_'");
        Assert.InRange(created, 1, 599);

        var secondRun = new List<PreDataBatchApplied>();
        await InProcessMigration.RunAsync(source, target, input, checkpointsLocation: checkpoints, onPreDataBatchApplied: secondRun.Add);

        var total = Assert.Single(firstRun).Total;
        Assert.True(total > 1, $"pre-data ran in {total} transaction(s)");
        Assert.Equal(Enumerable.Range(0, total), firstRun.Concat(secondRun).Select(b => b.Number));
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        output.WriteLine($"{total} pre-data transactions, {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task More_loaded_tables_than_the_targets_lock_table_holds_get_their_autovacuum_back_in_several_transactions()
    {
        // The end of the migration, which gives every table it loaded its autovacuum back, cannot hold a lock on
        // each of these 1,200 tables in one transaction.
        await using var cluster = await SmallLockTableAsync();
        await using var source = await PostgresServer.CreateDatabaseAsync("vacuum_src");
        await using var target = await cluster.CreateDatabaseAsync("vacuum_dst");
        await source.ExecuteAsync("""
            DO $$
            BEGIN
                FOR t IN 1..1200 LOOP
                    EXECUTE format('CREATE TABLE public.t%s (id int PRIMARY KEY, note text)', t);
                    EXECUTE format('INSERT INTO public.t%s VALUES (1, %L)', t, 'row of ' || t);
                END LOOP;
            END $$;
            """);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "vacuum", Source = "source", Target = "target", Mode = MigrationMode.All, Parallelism = 2 });

        // pg_dump cannot check this target: it locks every table in one transaction, which is the point here.
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND reloptions IS NOT NULL"));
        Assert.Equal(1200L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace"));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    // A managed target's lock table is not ours to raise: this one holds about 10 x 30 locks for all sessions.
    private static Task<ThrowawayCluster> SmallLockTableAsync() => ThrowawayCluster.StartAsync(new Dictionary<string, string>
    {
        ["max_locks_per_transaction"] = "10",
        ["max_connections"] = "30",
    });
}
