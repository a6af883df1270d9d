using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>
/// A table's keys are built as unique indexes first and made constraints last, so that a reader of the
/// table (the read-back that verifies its rows) and the key builds run side by side.
/// </summary>
public class KeyIndexFirstTests
{
    private const string Tables = """
        CREATE TABLE public.t (id int PRIMARY KEY, code text NOT NULL UNIQUE, n int);
        CREATE TABLE public.d (id int, CONSTRAINT d_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
        """;

    [Fact]
    public async Task Plain_keys_are_built_as_unique_indexes_then_constraints_and_other_shapes_keep_their_definition()
    {
        var script = SchemaScriptBuilder.Build(await SourceCatalog.ReadAsync(Tables));

        Assert.Equal(
            ["LOCK TABLE ONLY public.t IN SHARE ROW EXCLUSIVE MODE;", "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id);", "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey;"],
            script.Steps.Single(s => s.Name == "t_pkey ON public.t").Statements);
        Assert.Equal(
            ["ALTER TABLE ONLY public.d ADD CONSTRAINT d_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED;"],
            script.Steps.Single(s => s.Name == "d_id ON public.d").Statements);
    }

    [Fact]
    public async Task Two_keys_of_a_table_are_built_while_a_reader_holds_it_without_deadlock_and_end_as_on_the_source()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("keyfirst_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("keyfirst_dst");
        await source.ExecuteAsync(Tables);
        await using var sourceData = NpgsqlDataSource.Create(source.ConnectionString);
        var script = SchemaScriptBuilder.Build(await new Catalog.CatalogReader(sourceData).ReadAsync());
        foreach (var step in script.Steps.Where(s => s.Phase == SchemaPhase.PreData))
        {
            await target.ExecuteAsync(string.Join('\n', step.Statements));
        }

        await target.ExecuteAsync("INSERT INTO public.t SELECT g, 'c' || g, g FROM generate_series(1, 200000) g");
        await using var targetData = NpgsqlDataSource.Create(target.ConnectionString);

        // The reader holds the table as a verification's read-back does, for as long as it reads.
        await using var reader = await targetData.OpenConnectionAsync();
        await using var reading = await reader.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM public.t", reader, reading))
        {
            Assert.Equal(200000L, await read.ExecuteScalarAsync());
        }

        var keys = script.Steps.Where(s => s.Kind is SchemaObjectKind.PrimaryKey or SchemaObjectKind.UniqueConstraint && s.Table?.Name == "t").ToList();
        Assert.Equal(2, keys.Count);
        var builds = keys.Select(step => ApplyAsync(targetData, step)).ToList();

        // A key's index is built while the reader still holds the table: only turning it into the constraint waits.
        await WaitUntilAsync(targetData, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE ONLY public.t ADD CONSTRAINT % USING INDEX %'");
        Assert.All(builds, build => Assert.False(build.IsFaulted));
        await reading.CommitAsync();
        await Task.WhenAll(builds).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var step in script.Steps.Where(s => s.Phase == SchemaPhase.PostData && !keys.Contains(s)))
        {
            await ApplyAsync(targetData, step);
        }

        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
    }

    private static async Task ApplyAsync(NpgsqlDataSource target, SchemaStep step)
    {
        await using var connection = await target.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await SchemaApplier.ExecuteStatementsAsync(connection, transaction, step);
        await transaction.CommitAsync();
    }

    private static async Task WaitUntilAsync(NpgsqlDataSource target, string countSql)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var command = target.CreateCommand(countSql);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "No key build got past its index while the table was being read.");
            await Task.Delay(50);
        }
    }
}
