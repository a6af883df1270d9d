using PgMigration.Core.Schema;
using PgMigration.Testing;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests;

public class SchemaApplierTests
{
    private static readonly SchemaStep CreateA = new(SchemaStage.PreData, SchemaObjectKind.Table, "public.a", "CREATE TABLE public.a (id int);", new("public", "a"));
    private static readonly SchemaStep Broken = new(SchemaStage.PreData, SchemaObjectKind.View, "public.v", "CREATE VIEW public.v AS SELECT nope FROM public.a;", new("public", "v"));

    [Fact]
    public async Task A_failing_step_rolls_its_batch_back_and_names_the_object_the_server_error_and_the_sql()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("apply");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString);

        var ex = await Assert.ThrowsAsync<SchemaApplyException>(() => ApplyAsOneBatchAsync(dataSource, CreateA, Broken));

        Assert.Same(Broken, ex.Step);
        Assert.Contains("Creating View public.v failed: column \"nope\" does not exist (SQLSTATE 42703)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Batch 1 of 1 (2 steps) was rolled back", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Failing SQL:\nCREATE VIEW public.v AS SELECT nope FROM public.a;", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'a'"));
    }

    [Fact]
    public async Task Steps_run_with_an_empty_search_path_and_function_bodies_unchecked()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("apply");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString);
        var function = new SchemaStep(SchemaStage.PreData, SchemaObjectKind.Function, "public.f()",
            "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS 'SELECT current_setting(''search_path'') FROM table_created_later';", null);

        await ApplyAsOneBatchAsync(dataSource, function);

        Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE proname = 'f'"));
    }

    private static Task<int> ApplyAsOneBatchAsync(Npgsql.NpgsqlDataSource target, params SchemaStep[] steps) =>
        new PreDataRunner(target, new PreDataOptions { PlanId = "p" }).ApplyAsync([new PreDataBatch(0, steps)], total: 1);

    [Fact]
    public async Task Target_inspection_finds_conflicting_objects_and_missing_extensions()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("inspect");
        await target.ExecuteAsync("CREATE TABLE public.a (x int)");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString);
        var create = CreateA with { ConflictKey = "relation:public.a" };
        var other = new SchemaStep(SchemaStage.PreData, SchemaObjectKind.Table, "public.b", "CREATE TABLE public.b ();", new("public", "b"), "relation:public.b");

        var report = await new TargetInspector(dataSource).InspectAsync(new SchemaScript([create, other], []), ["citext", "no_such_extension"], ["postgres", "no_such_role"]);

        Assert.Equal([create], report.Conflicts);
        Assert.Equal(["no_such_extension"], report.MissingExtensions);
        Assert.Equal(["no_such_role"], report.MissingRoles);
    }

    [Fact]
    public async Task A_failed_post_data_step_says_that_only_it_was_rolled_back()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("poststep");
        await target.ExecuteAsync("CREATE TABLE public.t (a int); INSERT INTO public.t VALUES (1), (1);");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString);
        await PgMigration.Core.Copy.CopyLedger.EnsureAsync(dataSource);
        var unique = new SchemaStep(SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, "public.t_a", "CREATE UNIQUE INDEX t_a ON public.t (a);", new("public", "t"));

        var ex = await Assert.ThrowsAsync<SchemaApplyException>(() => new PostDataRunner(dataSource, new PostDataOptions { PlanId = "p" }).ApplyStepOnceAsync(unique, "p/post-data/0-0"));

        Assert.Contains("That step was rolled back on its own", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was applied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tables_steps_applied_together_commit_with_their_ledger_entries_or_not_at_all()
    {
        await using var target = await PostgresServer.CreateDatabaseAsync("poststeps");
        await target.ExecuteAsync("CREATE TABLE public.t (a int, b int); INSERT INTO public.t VALUES (1, 1), (2, 1);");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target.ConnectionString);
        var runner = new PostDataRunner(dataSource, new PostDataOptions { PlanId = "p" });
        var onA = new SchemaStep(SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, "public.t_a", "CREATE UNIQUE INDEX t_a ON public.t (a);", new("public", "t"));
        var onB = new SchemaStep(SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, "public.t_b", "CREATE UNIQUE INDEX t_b ON public.t (b);", new("public", "t"));
        var plain = new SchemaStep(SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, "public.t_b_plain", "CREATE INDEX t_b_plain ON public.t (b);", new("public", "t"));

        // b is not unique: neither index nor either ledger entry stays, and the caller is told to go one by one.
        Assert.False(await runner.TryApplyStepsTogetherAsync([(onA, "p/post-data/0-0"), (onB, "p/post-data/0-1")]));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE tablename = 't'"));
        Assert.Equal(0L, await target.ScalarAsync<long>($"SELECT count(*) FROM {PgMigration.Core.Copy.CopyLedger.Table}"));

        // Alone, the good one commits; together again with the other, it is skipped and only the other is built.
        await runner.ApplyStepOnceAsync(onA, "p/post-data/0-0");
        Assert.True(await runner.TryApplyStepsTogetherAsync([(onA, "p/post-data/0-0"), (plain, "p/post-data/0-1")]));
        Assert.Equal("t_a,t_b_plain", await target.ScalarAsync<string>("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 't'"));
        Assert.Equal(2L, await target.ScalarAsync<long>($"SELECT count(*) FROM {PgMigration.Core.Copy.CopyLedger.Table} WHERE entry LIKE 'p/post-data/%'"));
        Assert.True(await runner.TryApplyStepsTogetherAsync([(onA, "p/post-data/0-0"), (plain, "p/post-data/0-1")]));
    }
}
