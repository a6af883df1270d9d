using System.Net;
using System.Text.Json;
using PgMigration.Cli.Tests.Http;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>Bad requests to POST /api/migrations, over real HTTP: each one a 400 that names the field and the fix.</summary>
public class HttpApiValidationTests : IAsyncLifetime
{
    private TestDatabase source = null!;
    private TestDatabase target = null!;
    private ApiServer api = null!;

    public async Task InitializeAsync()
    {
        source = await PostgresServer.CreateDatabaseAsync("apisrc");
        target = await PostgresServer.CreateDatabaseAsync("apitgt");
        api = await ApiServer.StartAsync(new Dictionary<string, string>
        {
            ["source"] = source.ConnectionString,
            ["target"] = target.ConnectionString,
            ["sourceagain"] = source.ConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await source.DisposeAsync();
        await target.DisposeAsync();
    }

    [Theory]
    [InlineData("missing source", """{"target":"target"}""", "source", "required")]
    [InlineData("unknown connection name", """{"source":"nosuch","target":"target"}""", "source", "Connections__nosuch")]
    [InlineData("password in the body", """{"source":"source","target":"target","password":"hunter2"}""", "password", "refused")]
    [InlineData("raw connection string", """{"source":"postgresql://app@db.example.com/prod","target":"target"}""", "source", "connection string")]
    [InlineData("bad mode", """{"source":"source","target":"target","mode":"everything"}""", "mode", "\"all\"")]
    [InlineData("parallelism out of range", """{"source":"source","target":"target","parallelism":0}""", "parallelism", "from 1 to 64")]
    [InlineData("batch size out of range", """{"source":"source","target":"target","batchSize":10}""", "batchSize", "from 100 to")]
    [InlineData("malformed include pattern", """{"source":"source","target":"target","include":["a.b.c"]}""", "include", "is not a pattern")]
    [InlineData("id with illegal characters", """{"source":"source","target":"target","id":"../etc/passwd"}""", "id", "letters, digits")]
    [InlineData("same source and target", """{"source":"source","target":"sourceagain"}""", "target", "both point at")]
    [InlineData("unknown field", """{"source":"source","target":"target","paralelism":4}""", "paralelism", "not a field")]
    [InlineData("malformed JSON", """{"source":"source","target":""", "body", "not valid JSON")]
    public async Task A_bad_request_is_a_400_naming_the_field_and_the_fix(string kind, string body, string field, string fix)
    {
        using var response = await api.PostJsonAsync("/api/migrations", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: expected 400, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiServer.ReadJsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{kind}: no error for '{field}' in {problem}");
        Assert.Contains(fix, string.Join(" ", messages.EnumerateArray().Select(m => m.GetString())), StringComparison.Ordinal);
        Assert.Contains(fix, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_request_starts_nothing_and_writes_no_checkpoint()
    {
        using var response = await api.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","id":"never-started","mode":"bogus"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var status = await api.Client.GetAsync("/api/migrations/never-started");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(api.Checkpoints, "never-started")));
    }

    [Fact]
    public async Task Status_of_an_unknown_migration_is_a_404_that_says_how_to_start_one()
    {
        using var response = await api.Client.GetAsync("/api/migrations/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ApiServer.ReadJsonAsync(response);
        Assert.Contains("POST /api/migrations", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_storage_and_every_named_connection()
    {
        var health = await api.GetJsonAsync("/api/health");

        Assert.True(health.GetProperty("healthy").GetBoolean());
        var checks = health.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal(["connection:source", "connection:sourceagain", "connection:target", "storage"], checks.Keys.Order());
        Assert.All(checks.Values, c => Assert.True(c.GetProperty("healthy").GetBoolean(), c.ToString()));
        Assert.Contains("PostgreSQL 15", checks["connection:source"].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_503_and_names_a_connection_that_cannot_be_reached()
    {
        await using var unreachable = await ApiServer.StartAsync(new Dictionary<string, string>
        {
            ["source"] = source.ConnectionString,
            ["gone"] = "Host=127.0.0.1;Port=1;Database=x;Username=x;Timeout=2",
        });

        using var response = await unreachable.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = (await ApiServer.ReadJsonAsync(response)).GetProperty("checks").EnumerateArray().ToList();
        var gone = checks.Single(c => c.GetProperty("name").GetString() == "connection:gone");
        Assert.False(gone.GetProperty("healthy").GetBoolean());
        Assert.True(checks.Single(c => c.GetProperty("name").GetString() == "connection:source").GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task Schema_browser_lists_schemas_tables_estimated_rows_and_sizes()
    {
        await source.ExecuteAsync("""
            CREATE SCHEMA sales;
            CREATE TABLE sales.orders (id bigint PRIMARY KEY, note text);
            INSERT INTO sales.orders SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g;
            CREATE TABLE public.empty_one (id int);
            CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            INSERT INTO public.events SELECT g, '2024-06-01' FROM generate_series(1, 300) g;
            ANALYZE;
            """);

        var listing = await api.GetJsonAsync("/api/connections/source/schemas");

        Assert.Equal("source", listing.GetProperty("connection").GetString());
        var schemas = listing.GetProperty("schemas").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s);
        Assert.Contains("public", schemas.Keys);
        var orders = schemas["sales"].GetProperty("tables").EnumerateArray().Single();
        Assert.Equal("orders", orders.GetProperty("name").GetString());
        Assert.Equal(5000, orders.GetProperty("estimatedRows").GetInt64());
        Assert.True(orders.GetProperty("totalBytes").GetInt64() > 5000 * 100);
        var publicTables = schemas["public"].GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t);
        Assert.Equal("partitioned", publicTables["events"].GetProperty("kind").GetString());
        Assert.Equal(300, publicTables["events"].GetProperty("estimatedRows").GetInt64());
        Assert.Equal("public.events", publicTables["events_2024"].GetProperty("partitionOf").GetString());
        Assert.DoesNotContain(source.ConnectionString.Split("Password=")[1].Split(';')[0], listing.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_browser_of_an_unknown_connection_is_a_404_naming_the_setting()
    {
        using var response = await api.Client.GetAsync("/api/connections/warehouse/schemas");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ApiServer.ReadJsonAsync(response);
        Assert.Contains("Connections__warehouse", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
