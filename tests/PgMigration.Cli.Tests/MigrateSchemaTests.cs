using Npgsql;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class MigrateSchemaTests
{
    [Fact]
    public async Task Schema_migration_reproduces_the_fixture_exactly_as_pg_dump_sees_it()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("fid_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("fid_dst");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = await PgDump.SchemaAsync(source.ConnectionString);
        var actual = await PgDump.SchemaAsync(target.ConnectionString);
        Assert.Contains("CREATE TABLE \"Mixed Case\".\"Order Lines\"", expected, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Dry_run_prints_the_ddl_in_order_and_changes_nothing()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("dry_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("dry_dst");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--dry-run", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        var createTable = result.Output.IndexOf("CREATE TABLE app.orders", StringComparison.Ordinal);
        var primaryKey = result.Output.IndexOf("ADD CONSTRAINT orders_pkey PRIMARY KEY", StringComparison.Ordinal);
        var foreignKey = result.Output.IndexOf("ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY", StringComparison.Ordinal);
        Assert.True(createTable >= 0 && createTable < primaryKey && primaryKey < foreignKey, result.Output);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"));
    }

    [Fact]
    public async Task Non_empty_target_is_refused_with_exit_code_2_naming_the_conflicting_objects()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("conf_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("conf_dst");
        await target.ExecuteAsync("CREATE TABLE public.tags (tag text)");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("already has 1 object(s)", result.Error, StringComparison.Ordinal);
        Assert.Contains("Table public.tags", result.Error, StringComparison.Ordinal);
        Assert.Contains("--skip-existing", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"));
    }

    [Fact]
    public async Task Skip_existing_leaves_the_existing_table_alone_and_creates_the_rest()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("skip_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("skip_dst");
        await target.ExecuteAsync("CREATE TABLE public.tags (tag text)");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--skip-existing", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("text", await target.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.tags'::regclass AND attname = 'tag'"));
        Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'Order Lines'"));
    }

    [Fact]
    public async Task A_failing_step_rolls_back_its_batch_names_the_object_and_its_sql_and_the_rerun_resumes_through_the_workflow()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("fail_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("fail_dst");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-schema-{Guid.NewGuid():N}");
        string[] migrate = ["migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints];
        await target.ExecuteAsync(
            "CREATE FUNCTION public.refuse_views() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'views are not welcome here'; END $$;" +
            "CREATE EVENT TRIGGER refuse_views ON ddl_command_start WHEN TAG IN ('CREATE VIEW') EXECUTE FUNCTION public.refuse_views();");
        try
        {
            var result = await PgMigrateProcess.RunAsync(migrate);

            Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
            Assert.Contains("views are not welcome here", result.Error, StringComparison.Ordinal);
            Assert.Contains("Creating View ", result.Error, StringComparison.Ordinal);
            Assert.Contains("Failing SQL:\nCREATE VIEW ", result.Error, StringComparison.Ordinal);
            Assert.Contains("rolled back", result.Error, StringComparison.Ordinal);
            Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname IN ('app', 'audit')"));
        }
        finally
        {
            await target.ExecuteAsync("DROP EVENT TRIGGER refuse_views; DROP FUNCTION public.refuse_views()");
        }

        // Schema mode keeps checkpoints like the others: once the cause is gone, the same command finishes the job.
        var rerun = await PgMigrateProcess.RunAsync(migrate);

        Assert.True(rerun.ExitCode == ExitCodes.Success, rerun.Error);
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
    }

    [Theory]
    [InlineData("data", "--parallelism", "0")]
    [InlineData("all", "--batch-size", "0")]
    [InlineData("all", "--batch-size", "99")]
    [InlineData("all", "--chunk-mb", "-5")]
    public async Task Data_options_out_of_range_are_bad_usage_naming_the_option(string mode, string option, string value)
    {
        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", mode, option, value, "--source", "Host=127.0.0.1;Database=a", "--target", "Host=127.0.0.1;Database=b");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains($"{option} {value} is out of range", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_that_are_not_migrated_are_reported_by_name()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("unsup_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("unsup_dst");
        await source.ExecuteAsync("CREATE TABLE public.t (id int PRIMARY KEY); SELECT lo_create(0);");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("not migrated: 1 large object(s): they are data; mode all or data copies them", result.Error, StringComparison.Ordinal);
        Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    [Fact]
    public async Task Event_triggers_are_reported_not_migrated_when_the_target_login_is_not_a_superuser()
    {
        var role = $"plain_{Guid.NewGuid().ToString("N")[..8]}";
        await using var source = await PostgresServer.CreateDatabaseAsync("evt_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("evt_dst");
        await source.ExecuteAsync(
            "CREATE TABLE public.t (id int); CREATE FUNCTION public.noop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;" +
            "CREATE EVENT TRIGGER noop_ddl ON ddl_command_end EXECUTE FUNCTION public.noop(); ALTER EVENT TRIGGER noop_ddl DISABLE;");
        await using (var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'; ALTER DATABASE \"{target.Name}\" OWNER TO {role}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await target.ExecuteAsync($"ALTER SCHEMA public OWNER TO {role}");
            var asPlainUser = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Username = role, Password = $"pw-{role}" }.ConnectionString;

            var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--source", source.ConnectionString, "--target", asPlainUser);

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("not migrated: event trigger noop_ddl: creating event triggers needs a superuser", result.Error, StringComparison.Ordinal);
            Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
        }
        finally
        {
            await source.ExecuteAsync("DROP EVENT TRIGGER noop_ddl");
            await target.DisposeAsync();
            await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {role}", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Plan_lists_objects_by_kind_and_tables_with_sizes_and_rows()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("plan_src");
        await source.ExecuteAsync("INSERT INTO public.tags SELECT 'tag' || g, g FROM generate_series(1, 500) g; ANALYZE public.tags;");

        var result = await PgMigrateProcess.RunAsync("plan", "--source", source.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"Tables \((\d+): \d+ with rows, \d+ partitioned \(their rows are in their partitions\); [\d.]+ .B with indexes and TOAST\)", result.Output);
        Assert.Matches(@"Table\s+44", result.Output);
        Assert.Matches(@"public\.tags\s+\d+(\.\d)? kB\s+~500 rows", result.Output);
        Assert.Contains("\"Mixed Case\".\"Order Lines\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_migrate_only_the_included_schema()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("filt_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("filt_dst");

        var result = await PgMigrateProcess.RunAsync("migrate", "--mode", "schema", "--include", "audit", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(3L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'audit' AND c.relkind = 'r'"));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"));
    }
}
