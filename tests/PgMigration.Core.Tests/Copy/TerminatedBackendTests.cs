using Npgsql;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class TerminatedBackendTests
{
    [Fact]
    public async Task Backends_terminated_mid_copy_on_either_server_are_survived()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "terminate",
            "CREATE TABLE events (id bigint PRIMARY KEY, body text, at timestamptz)",
            "INSERT INTO events SELECT i, repeat(md5(i::text), 4), now() - i * interval '1 second' FROM generate_series(1, 300000) i; ANALYZE");
        var retries = 0;
        var options = new CopyRunOptions
        {
            BatchSize = 5_000,
            Parallelism = 2,
            Planner = new ChunkPlannerOptions { ChunkBytes = 8 * 1024 * 1024 },
            Resilience = new ResilienceOptions { FirstDelay = TimeSpan.FromMilliseconds(20), MaxRetries = 20 },
            OnMessage = _ => Interlocked.Increment(ref retries),
        };

        using var stop = new CancellationTokenSource();
        var copy = scenario.CopyAsync(options);
        var terminations = TerminateCopiesAsync([scenario.Target.Name, scenario.Source.Name], wanted: 4, copy, stop.Token);
        var result = await copy;
        var terminated = await terminations;

        Assert.True(terminated >= 2, $"only {terminated} backends were terminated while copying; the test proves nothing");
        // Not one retry per termination: an attempt whose source and target were both killed is retried
        // once, and a source killed after its last row was read breaks nothing. But some attempt must
        // have been retried, or the terminations were never noticed.
        Assert.True(retries >= 1, $"{terminated} backends terminated but no retry was reported");
        var report = await scenario.VerifyAsync(result.Plan);
        Assert.True(report.AllMatch, report.Render());
        Assert.Equal(300000, await scenario.Target.ScalarAsync<long>("SELECT count(*) FROM events"));
    }

    [Fact]
    public async Task A_batch_whose_source_and_target_die_together_is_retried_not_failed_by_the_cancel_of_its_copy()
    {
        await using var scenario = await CopyScenario.CreateAsync(
            "terminate_both",
            "CREATE TABLE events (id bigint PRIMARY KEY, body text)",
            "INSERT INTO events SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 200000) i; ANALYZE");
        var retries = 0;
        var options = new CopyRunOptions
        {
            BatchSize = 5_000,
            Resilience = new ResilienceOptions { FirstDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), MaxRetries = 30 },
            OnMessage = _ => Interlocked.Increment(ref retries),
        };

        var copy = scenario.CopyAsync(options);
        var terminated = await TerminateBothEndsAsync([scenario.Source.Name, scenario.Target.Name], wanted: 6, copy);
        var result = await copy;

        Assert.True(terminated >= 2, $"only {terminated} batches lost both ends while copying; the test proves nothing");
        Assert.True(retries >= terminated, $"{terminated} batches lost both ends but only {retries} retries were reported");
        Assert.Equal(200000, result.Rows);
        Assert.Equal(await CopyScenario.TableDigestAsync(scenario.Source, "events", "id"), await CopyScenario.TableDigestAsync(scenario.Target, "events", "id"));
    }

    // Kills both ends of a running COPY at once: the source's failure surfaces first, and cancelling the COPY
    // into the already dead target must not hide it.
    private static async Task<int> TerminateBothEndsAsync(string[] databases, int wanted, Task copy)
    {
        await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
        await admin.OpenAsync();
        var terminated = 0;
        while (terminated < wanted && !copy.IsCompleted)
        {
            await using var command = new NpgsqlCommand("""
                WITH copying AS (
                    SELECT pid, datname FROM pg_stat_activity
                     WHERE datname = ANY($1) AND application_name = 'pgmigrate' AND state = 'active' AND query LIKE 'COPY%')
                SELECT count(pg_terminate_backend(pid)) FROM copying WHERE (SELECT count(DISTINCT datname) FROM copying) = 2
                """, admin);
            command.Parameters.AddWithValue(databases);
            var killed = (long?)await command.ExecuteScalarAsync() ?? 0;
            terminated += killed > 0 ? 1 : 0;
            await Task.Delay(killed > 0 ? 100 : 2);
        }

        return terminated;
    }

    // Kills pgmigrate's backends while they run COPY, alternating between the databases, until enough died.
    private static async Task<int> TerminateCopiesAsync(string[] databases, int wanted, Task copy, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(await PostgresServer.AdminConnectionStringAsync());
        await admin.OpenAsync(cancellationToken);
        var terminated = 0;
        while (terminated < wanted && !copy.IsCompleted)
        {
            await using var command = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM (
                    SELECT pid FROM pg_stat_activity
                     WHERE datname = $1 AND application_name = 'pgmigrate' AND state = 'active' AND query LIKE 'COPY%' LIMIT 1) victim
                """, admin);
            command.Parameters.AddWithValue(databases[terminated % databases.Length]);
            var killed = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            terminated += (int)killed;
            await Task.Delay(killed > 0 ? 100 : 2, cancellationToken);
        }

        return terminated;
    }
}
