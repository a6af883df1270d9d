using System.Diagnostics;
using System.Text.RegularExpressions;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public partial class MigrateAllTests
{
    // Rows for tests/PgMigration.Core.Tests/Fixtures/fidelity.sql: every kind of table it has gets some.
    private const string FidelityRows = """
        INSERT INTO app.customers (email, name, home, status, score, notes)
        SELECT 'user' || i || '@example.com', 'Name ' || i, ROW('street ' || i, 'city', '12345')::app.address,
               (enum_range(NULL::app.order_status))[1 + i % 4], i % 1000, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('n', i % 100) END
          FROM generate_series(1, 3000) i;
        INSERT INTO app.orders (customer_id, quantity, during, total, created_at)
        SELECT 100 + i % 3000, 1 + i % 5, tstzrange(timestamptz '2024-01-01' + i * interval '1 hour', timestamptz '2024-01-01' + (i + 1) * interval '1 hour'),
               i * 1.5, date '2024-01-01' + i % 365
          FROM generate_series(1, 5000) i;
        INSERT INTO app.departments SELECT i, NULL FROM generate_series(1, 20) i;
        INSERT INTO app.employees SELECT i, 1 + i % 20 FROM generate_series(1, 400) i;
        UPDATE app.departments SET manager_id = id * 10;
        INSERT INTO app.events SELECT i, date '2024-01-01' + i % 800, (ARRAY['click', 'view'])[1 + i % 2], jsonb_build_object('i', i) FROM generate_series(1, 6000) i;
        INSERT INTO app.event_refs SELECT i, i, date '2024-01-01' + i % 800, (ARRAY['click', 'view'])[1 + i % 2] FROM generate_series(1, 500) i;
        INSERT INTO app.hashed SELECT i, 'v' || i FROM generate_series(1, 3000) i;
        INSERT INTO audit.log (message) SELECT 'm' || i FROM generate_series(1, 1000) i;
        INSERT INTO audit.log_special (message, severity) SELECT 's' || i, i % 10 FROM generate_series(1, 500) i;
        INSERT INTO audit.scratch SELECT 'k' || i, decode(md5(i::text), 'hex') FROM generate_series(1, 200) i;
        INSERT INTO app.documents (id, owner_name, body) SELECT i, CASE WHEN i % 2 = 0 THEN 'alice' ELSE 'bob' END, 'body ' || i FROM generate_series(1, 300) i;
        INSERT INTO "Mixed Case"."Order Lines" ("select", "order") SELECT 's' || i, 1 + i % 5000 FROM generate_series(1, 2000) i;
        INSERT INTO "with space"."table with space" SELECT i, 'U' || i FROM generate_series(1, 100) i;
        INSERT INTO "quote""d"."ta""ble" SELECT i FROM generate_series(1, 100) i;
        INSERT INTO app.orders_log SELECT i, 'note ' || i FROM generate_series(1, 100) i;
        INSERT INTO public.tags SELECT 'Tag' || i, i / 10.0 FROM generate_series(1, 300) i;
        SELECT setval('app.scratch_seq', 42);
        REFRESH MATERIALIZED VIEW app.customer_stats;
        REFRESH MATERIALIZED VIEW app.stats_of_stats;
        ANALYZE;
        """;

    [Fact]
    public async Task Mode_all_leaves_a_target_whose_schema_dump_rows_and_sequences_match_the_source()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("all_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("all_dst");
        // psql, not Npgsql: the fixture has SQL-standard function bodies (BEGIN ATOMIC) with inner semicolons.
        await Psql.RunFileAsync(source.ConnectionString, FidelityFixture());
        await source.ExecuteAsync(FidelityRows);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-all-{Guid.NewGuid():N}");

        var run = await PgMigrateProcess.RunAsync(
            "migrate", "--source", source.ConnectionString, "--target", target.ConnectionString,
            "--checkpoints", checkpoints, "--batch-size", "1000", "--chunk-mb", "1", "--parallelism", "3");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("tables verified: row counts and checksums match", run.Output, StringComparison.Ordinal);
        Assert.Equal(await SchemaDumpAsync(source), await SchemaDumpAsync(target));
        foreach (var sequence in new[] { "app.invoice_no", "app.scratch_seq", "audit.log_id_seq", "app.customers_id_seq" })
        {
            Assert.Equal(
                await source.ScalarAsync<long>($"SELECT last_value FROM {sequence}"),
                await target.ScalarAsync<long>($"SELECT last_value FROM {sequence}"));
        }

        Assert.Equal(3000, await target.ScalarAsync<long>("SELECT n FROM app.stats_of_stats JOIN LATERAL (SELECT total::bigint AS n) x ON true"));
        Directory.Delete(checkpoints, recursive: true);
    }

    [Fact]
    public async Task A_row_the_target_rejects_stops_with_exit_1_naming_table_chunk_and_sql()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("reject_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("reject_dst");
        await source.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int); INSERT INTO readings SELECT i, i FROM generate_series(1, 1000) i;");
        await target.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int CHECK (value < 500));");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-reject-{Guid.NewGuid():N}");

        var run = await PgMigrateProcess.RunAsync(
            "migrate", "--mode", "data", "--source", source.ConnectionString, "--target", target.ConnectionString, "--checkpoints", checkpoints);

        Assert.Equal(ExitCodes.MigrationFailed, run.ExitCode);
        Assert.Contains("public.readings", run.Error, StringComparison.Ordinal);
        Assert.Contains("chunk t0000-c00000", run.Error, StringComparison.Ordinal);
        Assert.Contains("SQL: COPY (SELECT", run.Error, StringComparison.Ordinal);
        Assert.Contains("readings_value_check", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(source.ConnectionString).Password!, run.Error + run.Output, StringComparison.Ordinal);
        Directory.Delete(checkpoints, recursive: true);
    }

    private static async Task<string> SchemaDumpAsync(TestDatabase database)
    {
        var bin = Environment.GetEnvironmentVariable("PGMIGRATE_TEST_PG_BIN")
            ?? throw new InvalidOperationException("PGMIGRATE_TEST_PG_BIN is not set: run the tests with scripts/test.sh.");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        var info = new ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--schema-only", "--no-owner", "--no-privileges", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, builder.Database! },
        };
        info.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(info)!;
        var dump = await process.StandardOutput.ReadToEndAsync();
        var problems = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, problems);
        return string.Join('\n', dump.Split('\n').Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !SetLine().IsMatch(line) && line.Length > 0));
    }

    private static string FidelityFixture()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "PgMigration.Core.Tests", "Fixtures", "fidelity.sql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/PgMigration.Core.Tests/Fixtures/fidelity.sql was not found above the test directory.");
    }

    [GeneratedRegex(@"^(SET |SELECT pg_catalog\.set_config|\\restrict |\\unrestrict )")]
    private static partial Regex SetLine();
}
