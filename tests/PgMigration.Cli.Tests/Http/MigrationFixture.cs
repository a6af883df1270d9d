using System.Diagnostics;
using System.Text.Json;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests.Http;

/// <summary>A source database with keyed, composite-keyed and keyless tables, and helpers to compare it with a target.</summary>
internal static class MigrationFixture
{
    public static readonly string[] Tables = ["public.orders", "public.audit", "sales.lines"];

    public const string Schema = """
        CREATE SCHEMA sales;
        CREATE TABLE public.orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), created timestamptz);
        CREATE TABLE public.audit (at timestamptz, message text);
        CREATE TABLE sales.lines (order_id bigint, line int, sku text, PRIMARY KEY (order_id, line));
        """;

    public static async Task FillAsync(TestDatabase source, int orders = 60_000)
    {
        await source.ExecuteAsync(Schema);
        await source.ExecuteAsync($"""
            INSERT INTO public.orders SELECT g, 'customer ' || (g % 977), (g % 10000) / 100.0, timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, {orders}) g;
            INSERT INTO public.audit SELECT timestamptz '2024-01-01' + g * interval '1 second', 'event ' || g FROM generate_series(1, {orders / 3}) g;
            INSERT INTO sales.lines SELECT g / 3, g % 3, 'sku-' || g FROM generate_series(3, {orders * 2 / 3}) g;
            ANALYZE;
            """);
    }

    /// <summary>Row count and a hash over every row, per table.</summary>
    public static async Task<Dictionary<string, (long Rows, string Hash)>> FingerprintAsync(TestDatabase database)
    {
        var result = new Dictionary<string, (long, string)>();
        foreach (var table in Tables)
        {
            var rows = await database.ScalarAsync<long>($"SELECT count(*) FROM {table}");
            var hash = await database.ScalarAsync<string>($"SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t");
            result[table] = (rows, hash);
        }

        return result;
    }

    /// <summary>Polls the status URL until the run leaves Pending/Running; returns every status body seen.</summary>
    public static async Task<List<JsonElement>> PollUntilDoneAsync(ApiServer api, string statusUri, TimeSpan? timeout = null)
    {
        var seen = new List<JsonElement>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromMinutes(3)))
        {
            var status = await api.GetJsonAsync(statusUri);
            seen.Add(status);
            if (status.GetProperty("runtimeStatus").GetString() is not ("Pending" or "Running"))
            {
                return seen;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"The migration did not finish; last status: {seen.LastOrDefault()}");
    }
}
