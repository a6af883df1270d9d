using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class LargeObjectTests
{
    // 300 small objects, an empty one and a 3.2 MB one (several pieces of the copy).
    private const string Objects = """
        CREATE TABLE notes (id int PRIMARY KEY, document oid);
        INSERT INTO notes SELECT i, lo_from_bytea(0, convert_to(repeat(md5(i::text), i % 40), 'UTF8')) FROM generate_series(1, 300) i;
        INSERT INTO notes VALUES (301, lo_create(0));
        INSERT INTO notes SELECT 302, lo_from_bytea(0, (SELECT decode(string_agg(md5(i::text), ''), 'hex') FROM generate_series(1, 200000) i));
        """;

    // One object owned by another role and granted to PUBLIC, one granted to that role, the empty one with a comment.
    private static string Metadata(string role) => $"""
        DO $$
        DECLARE
          owned oid := (SELECT document FROM notes WHERE id = 7);
          granted oid := (SELECT document FROM notes WHERE id = 302);
          described oid := (SELECT document FROM notes WHERE id = 301);
        BEGIN
          EXECUTE format('ALTER LARGE OBJECT %s OWNER TO "{role}"', owned);
          EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO "{role}"', granted);
          EXECUTE format('GRANT SELECT, UPDATE ON LARGE OBJECT %s TO PUBLIC', owned);
          EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', described, 'the empty one');
        END $$;
        """;

    [Fact]
    public async Task Large_objects_arrive_with_their_oids_contents_comments_owners_and_grants_and_are_verified()
    {
        await WithServerRoleAsync("lo_owner", async role =>
        {
            await using var source = await PostgresServer.CreateDatabaseAsync("lo_src");
            await using var target = await PostgresServer.CreateDatabaseAsync("lo_dst");
            await source.ExecuteAsync(Objects + Metadata(role));

            var result = await MigrateAsync(source, target, "--owners-and-grants");

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal(302L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));
            Assert.Equal(await ContentHashesAsync(source), await ContentHashesAsync(target));
            Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
            var everything = await PgDump.EverythingAsync(source.ConnectionString);
            Assert.Contains($"TO {role};", everything, StringComparison.Ordinal);
            Assert.Contains("COMMENT ON LARGE OBJECT", everything, StringComparison.Ordinal);
            Assert.Equal(everything, await PgDump.EverythingAsync(target.ConnectionString));
            Assert.Matches(@"pg_catalog\.pg_largeobject\s+302\s+302\s+ok", result.Output);
        });
    }

    [Fact]
    public async Task A_migration_killed_while_large_objects_are_written_resumes_without_copying_finished_sets_again()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("lo_kill_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("lo_kill_dst");
        await source.ExecuteAsync(Objects);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-lo-{Guid.NewGuid():N}");
        var store = new FolderCheckpointStore(checkpoints);
        string[] arguments = ["migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints, "--parallelism", "2"];
        try
        {
            // The second half of the sets waits for locks the test holds, as for a copier that owns them. Until the
            // test holds them, no set can create an object: the plan (and the locks' names) come first, and a run
            // that is quick to reach its large objects must not copy them all before.
            await using var noObjectsYet = new NpgsqlConnection(target.ConnectionString);
            await noObjectsYet.OpenAsync();
            await ExecuteAsync(noObjectsYet, "BEGIN; LOCK TABLE pg_catalog.pg_largeobject_metadata IN EXCLUSIVE MODE");
            var run = PgMigrateProcess.Start(arguments);
            var plan = await StoredPlanAsync(store, run);
            var sets = plan.LargeObjects!.Sets;
            var held = sets.Skip(sets.Count / 2).ToList();
            await using var locks = new NpgsqlConnection(target.ConnectionString);
            await locks.OpenAsync();
            foreach (var set in held)
            {
                await ExecuteAsync(locks, $"SELECT pg_advisory_lock(hashtextextended('pgmigrate/{plan.Id}/{set.Id}', 0))");
            }

            await ExecuteAsync(noObjectsYet, "COMMIT");

            var first = sets.Take(sets.Count / 2).ToList();
            await WaitAsync(run, async () => (await store.ListChunksAsync()).Count(c => c.Done && first.Any(s => s.Id == c.ChunkId)) == first.Count);
            Assert.Equal(0L, await target.ScalarAsync<long>($"SELECT count(*) FROM pg_largeobject_metadata WHERE oid::int8 > {first[^1].LastOid}"));
            var finished = (await store.ListChunksAsync()).Where(c => first.Any(s => s.Id == c.ChunkId)).ToDictionary(c => c.ChunkId, c => c.Sequence);

            // Let two sets write their objects, and stop their commits by holding the ledger they record in.
            await using var ledger = new NpgsqlConnection(target.ConnectionString);
            await ledger.OpenAsync();
            await ExecuteAsync(ledger, "BEGIN; LOCK TABLE _pgmigrate.chunk_progress IN EXCLUSIVE MODE");
            foreach (var set in held)
            {
                await ExecuteAsync(locks, $"SELECT pg_advisory_unlock(hashtextextended('pgmigrate/{plan.Id}/{set.Id}', 0))");
            }

            await WaitAsync(run, async () => await target.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO _pgmigrate.chunk_progress%'") == 2);
            await run.KillAsync();
            run.Dispose();
            await ExecuteAsync(ledger, "ROLLBACK");
            Assert.Equal((long)first.Sum(s => s.Objects), await target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));

            var rerun = await PgMigrateProcess.RunAsync(arguments);

            Assert.True(rerun.ExitCode == 0, rerun.Error);
            Assert.Equal(await ContentHashesAsync(source), await ContentHashesAsync(target));
            var after = (await store.ListChunksAsync()).ToDictionary(c => c.ChunkId, c => c.Sequence);
            Assert.All(finished, set => Assert.Equal(set.Value, after[set.Key]));
            Assert.Equal(await PgDump.EverythingAsync(source.ConnectionString), await PgDump.EverythingAsync(target.ConnectionString));

            var again = await PgMigrateProcess.RunAsync(arguments);
            Assert.True(again.ExitCode == 0, again.Error);
            Assert.Equal(302L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Filters_leave_large_objects_out_and_say_so()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("lo_filter_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("lo_filter_dst");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); SELECT lo_create(0); SELECT lo_create(0);");

        var plan = await PgMigrateProcess.RunAsync("plan", "--source", source.ConnectionString);
        var result = await MigrateAsync(source, target, "--include", "public.t");

        Assert.True(plan.ExitCode == 0, plan.Error);
        Assert.Contains("Large objects: 2, copied with the rows", plan.Output, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("left out by the filters: 2 large object(s)", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));
    }

    [Fact]
    public async Task A_target_that_holds_large_objects_with_the_sources_oids_is_refused_before_anything_is_written()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("lo_taken_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("lo_taken_dst");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); SELECT lo_create(70001); SELECT lo_create(70002);");
        await target.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); SELECT lo_from_bytea(70002, 'theirs'::bytea);");

        var result = await MigrateAsync(source, target, "--mode", "data");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("already has 1 large object(s) with oids among the source's (70002 .. 70002)", result.Error, StringComparison.Ordinal);
        Assert.Equal("theirs", await target.ScalarAsync<string>("SELECT convert_from(lo_get(70002), 'UTF8')"));
        Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata"));
    }

    [Fact]
    public async Task Owners_of_large_objects_the_target_lacks_are_named_before_anything_is_written()
    {
        await WithServerRoleAsync("lo_remote", async role =>
        {
            await using var source = await PostgresServer.CreateDatabaseAsync("lo_role_src");
            await using var cluster = await ThrowawayCluster.StartAsync(new Dictionary<string, string>());
            await using var target = await cluster.CreateDatabaseAsync("lo_role_dst");
            await source.ExecuteAsync($"CREATE TABLE t (id int PRIMARY KEY); SELECT lo_create(70101); ALTER LARGE OBJECT 70101 OWNER TO {role};");

            var result = await MigrateAsync(source, target, "--owners-and-grants");

            Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
            Assert.Contains($"has no role(s) {role}", result.Error, StringComparison.Ordinal);
            Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
        });
    }

    // Roles belong to the whole server: one of the test's own, dropped after its databases are.
    private static async Task WithServerRoleAsync(string prefix, Func<string, Task> test)
    {
        var role = $"{prefix}_{Guid.NewGuid():N}"[..20];
        await using (var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"CREATE ROLE {role}");
        }

        try
        {
            await test(role);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task<CliResult> MigrateAsync(TestDatabase source, TestDatabase target, params string[] extra)
    {
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-lo-{Guid.NewGuid():N}");
        try
        {
            return await PgMigrateProcess.RunAsync(["migrate", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints, .. extra]);
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    private static Task<string> ContentHashesAsync(TestDatabase database) =>
        database.ScalarAsync<string>("SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata");

    private static async Task<DataPlan> StoredPlanAsync(ICheckpointStore store, RunningPgMigrate run)
    {
        DataPlan? plan = null;
        await WaitAsync(run, async () => (plan = await store.ReadDocumentAsync(DataPlan.DocumentId) is { } json ? DataPlan.FromJson(json) : null) is not null);
        return plan!;
    }

    private static async Task WaitAsync(RunningPgMigrate run, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.False(run.HasExited, $"pgmigrate ended first:\n{run.Output}\n{run.Error}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out; pgmigrate so far:\n{run.Output}\n{run.Error}");
            await Task.Delay(10);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
