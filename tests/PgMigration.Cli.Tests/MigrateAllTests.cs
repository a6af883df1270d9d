using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

public class MigrateAllTests
{
    [Fact]
    public async Task Mode_all_leaves_a_target_whose_schema_dump_rows_and_sequences_match_the_source()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("all_src", withData: true);
        await using var target = await PostgresServer.CreateDatabaseAsync("all_dst");
        await source.ExecuteAsync("SELECT setval('app.scratch_seq', 42); SELECT app.next_invoice();");
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-all-{Guid.NewGuid():N}");

        var run = await PgMigrateProcess.RunAsync(
            "migrate", "--source", source.ConnectionString, "--target", target.ConnectionString,
            "--checkpoints", checkpoints, "--batch-size", "1000", "--chunk-mb", "1", "--parallelism", "3");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        Assert.Contains("tables verified: row counts and checksums match", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(\d+)/\1 tables done, [\d,]+ rows", run.Error);
        Assert.Matches(@"Phases: plan [\d.]+s, pre-data [\d.]+s, data [\d.]+s", run.Output);

        // Names are written as in SQL, the way plan writes them, and the counts say what they count.
        Assert.Matches(@"\n""Mixed Case"".""Order Lines"" +1,000 +1,000 +ok", run.Output);
        Assert.Matches(@"Data: \d+ tables with rows in \d+ chunks, ~[\d.]+ MB of table data", run.Error);
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        foreach (var sequence in new[] { "app.invoice_no", "app.scratch_seq", "audit.log_id_seq", "app.customers_id_seq" })
        {
            Assert.Equal(
                await source.ScalarAsync<long>($"SELECT last_value FROM {sequence}"),
                await target.ScalarAsync<long>($"SELECT last_value FROM {sequence}"));
        }

        Assert.Equal(
            await source.ScalarAsync<decimal>("SELECT total FROM app.stats_of_stats"),
            await target.ScalarAsync<decimal>("SELECT total FROM app.stats_of_stats"));
        Directory.Delete(checkpoints, recursive: true);
    }

    [Fact]
    public async Task A_row_the_target_rejects_stops_with_exit_1_naming_table_chunk_and_sql()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("reject_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("reject_dst");
        await source.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int); INSERT INTO readings SELECT i, i FROM generate_series(1, 1000) i;");
        await target.ExecuteAsync("CREATE TABLE readings (id int PRIMARY KEY, value int CHECK (value < 500));");

        var run = await PgMigrateProcess.MigrateDataAsync(source, target);

        Assert.Equal(ExitCodes.MigrationFailed, run.ExitCode);
        Assert.Contains("public.readings", run.Error, StringComparison.Ordinal);
        Assert.Contains("chunk t0000-c00000", run.Error, StringComparison.Ordinal);
        Assert.Contains("SQL: COPY (SELECT", run.Error, StringComparison.Ordinal);
        Assert.Contains("readings_value_check", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(source.ConnectionString).Password!, run.Error + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_already_in_a_target_table_are_refused_before_anything_is_copied()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("occupied_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("occupied_dst");
        await source.ExecuteAsync("CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 100);");
        await target.ExecuteAsync("CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items VALUES (7);");

        var run = await PgMigrateProcess.MigrateDataAsync(source, target);

        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("already has rows in public.items", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, await target.ScalarAsync<long>("SELECT count(*) FROM items"));
    }
}
