using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests.Http;

/// <summary>
/// The one HTTP contract of DESIGN.md, run against each host (<c>pgmigrate serve</c> and the Functions app):
/// the same requests get the same status codes, headers and bodies, between real databases.
/// </summary>
public abstract class HttpContractTests
{
    private const string Orders = """
        CREATE TABLE public.orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2));
        CREATE TABLE public.notes (at timestamptz, note text);
        """;

    protected abstract Task<IApiHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings);

    [Fact]
    public async Task A_migration_is_accepted_with_202_Location_and_Retry_After_then_polled_under_Durable_field_names_to_200()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contracttgt");
        await FillAsync(source, 30_000);
        await using var host = await StartHostAsync(Settings(source, target));

        using var response = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","parallelism":2,"id":"contract-all"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await ApiHostExtensions.ReadJsonAsync(response);
        Assert.Equal("contract-all", accepted.GetProperty("id").GetString());
        var statusUri = accepted.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(new Uri(host.Client.BaseAddress!, "/api/migrations/contract-all"), new Uri(statusUri));
        Assert.Equal(statusUri, response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Equal($"{statusUri}/cancel", accepted.GetProperty("cancelPostUri").GetString());
        Assert.False(accepted.GetProperty("resumed").GetBoolean());

        var statuses = await host.PollUntilDoneAsync(statusUri);
        var last = statuses[^1];
        Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        foreach (var field in new[] { "instanceId", "name", "runtimeStatus", "createdTime", "lastUpdatedTime", "customStatus", "output", "tables", "errors" })
        {
            Assert.True(last.TryGetProperty(field, out _), $"The status has no '{field}': {last}");
        }

        Assert.Equal("contract-all", last.GetProperty("instanceId").GetString());
        Assert.Equal("MigrationWorkflow", last.GetProperty("name").GetString());
        Assert.Equal("completed", last.GetProperty("customStatus").GetProperty("phase").GetString());
        Assert.Equal(2, last.GetProperty("output").GetProperty("tablesVerified").GetInt32());
        Assert.Equal(40_000, last.GetProperty("output").GetProperty("rowsCopied").GetInt64());
        Assert.Empty(last.GetProperty("errors").EnumerateArray());
        Assert.Equal(30_000, last.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "orders").GetProperty("rowsCopied").GetInt64());

        // 202 while it runs, 200 once it has ended.
        using var done = await host.Client.GetAsync(statusUri);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    [Fact]
    public async Task A_running_migration_answers_202_and_cancel_ends_it_Terminated_then_the_same_id_resumes_to_an_equal_target()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractcancelsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractcanceltgt");
        await FillAsync(source, 150_000);
        await target.ExecuteAsync(Orders);
        await using var host = await StartHostAsync(Settings(source, target));
        const string Request = """{"source":"source","target":"target","mode":"data","parallelism":1,"batchSize":300,"id":"contract-cancel"}""";

        using (var first = await host.PostJsonAsync("/api/migrations", Request))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await ApiHostExtensions.WaitUntilAsync(async () => await target.ScalarAsync<long>("SELECT count(*) FROM public.orders") >= 3_000);
        var (running, runningBody) = await host.GetAsync("/api/migrations/contract-cancel");
        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal("Running", runningBody.GetProperty("runtimeStatus").GetString());
        running.Dispose();

        using (var cancel = await host.Client.PostAsync("/api/migrations/contract-cancel/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var body = await ApiHostExtensions.ReadJsonAsync(cancel);
            Assert.True(body.GetProperty("cancelled").GetBoolean(), body.ToString());
        }

        var cancelled = (await host.PollUntilDoneAsync("/api/migrations/contract-cancel"))[^1];
        Assert.Equal("Terminated", cancelled.GetProperty("runtimeStatus").GetString());
        var copied = await target.ScalarAsync<long>("SELECT count(*) FROM public.orders");
        Assert.InRange(copied, 3_000, 149_999);

        using (var again = await host.PostJsonAsync("/api/migrations", Request))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.True((await ApiHostExtensions.ReadJsonAsync(again)).GetProperty("resumed").GetBoolean());
        }

        var resumed = (await host.PollUntilDoneAsync("/api/migrations/contract-cancel"))[^1];
        Assert.True(resumed.GetProperty("runtimeStatus").GetString() == "Completed", $"Resumed migration ended {resumed}");
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    [Fact]
    public async Task Starting_an_id_that_is_running_is_a_409_that_says_how_to_cancel_it()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contracttwicesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contracttwicetgt");
        await FillAsync(source, 20_000);
        await target.ExecuteAsync(Orders);
        await using var host = await StartHostAsync(Settings(source, target));
        const string Request = """{"source":"source","target":"target","mode":"data","parallelism":1,"batchSize":200,"id":"contract-twice"}""";

        using var first = await host.PostJsonAsync("/api/migrations", Request);
        using var second = await host.PostJsonAsync("/api/migrations", Request);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("/cancel", (await ApiHostExtensions.ReadJsonAsync(second)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Completed", (await host.PollUntilDoneAsync("/api/migrations/contract-twice"))[^1].GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task Mode_all_into_a_target_that_has_the_tables_fails_naming_them_and_writes_nothing_there_or_in_the_checkpoints()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractrefusedsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractrefusedtgt");
        await FillAsync(source, 1_000);
        await target.ExecuteAsync(Orders);
        var settings = Settings(source, target);
        await using var host = await StartHostAsync(settings);

        using (var start = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","id":"contract-refused"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var last = (await host.PollUntilDoneAsync("/api/migrations/contract-refused"))[^1];
        Assert.Equal("Failed", last.GetProperty("runtimeStatus").GetString());
        Assert.Contains("already has 2 object(s)", last.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = '_pgmigrate'"));
        var checkpoints = Path.Combine(settings["Checkpoints:Folder"]!, "contract-refused");
        Assert.Empty(Directory.Exists(checkpoints) ? Directory.EnumerateFiles(checkpoints, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Starting_an_id_again_with_other_options_is_a_409_naming_the_difference()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractrerunsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractreruntgt");
        await FillAsync(source, 1_000);
        await target.ExecuteAsync(Orders);
        await using var host = await StartHostAsync(Settings(source, target));
        using (var first = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","include":["public.orders"],"id":"contract-rerun"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        Assert.Equal("Completed", (await host.PollUntilDoneAsync("/api/migrations/contract-rerun"))[^1].GetProperty("runtimeStatus").GetString());

        using var again = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","include":["public.notes"],"id":"contract-rerun"}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var detail = (await ApiHostExtensions.ReadJsonAsync(again)).GetProperty("detail").GetString();
        Assert.Contains("include public.notes (the stored plan has public.orders)", detail, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM public.notes"));
    }

    [Fact]
    public async Task A_table_copied_in_one_batch_shows_rows_rising_while_it_streams()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractstreamsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractstreamtgt");
        await source.ExecuteAsync("CREATE TABLE public.events (id bigint PRIMARY KEY, payload text); INSERT INTO public.events SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 600000) g; ANALYZE;");
        await using var host = await StartHostAsync(Settings(source, target));

        using (var start = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"all","id":"contract-stream"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        var statuses = await host.PollUntilDoneAsync("/api/migrations/contract-stream");
        Assert.Equal("Completed", statuses[^1].GetProperty("runtimeStatus").GetString());
        var midway = statuses
            .SelectMany(s => s.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("rowsCopied").GetInt64()))
            .Where(rows => rows is > 0 and < 600_000)
            .Distinct()
            .ToList();
        Assert.True(midway.Count >= 1, "No poll saw the table part way: its rows showed only once they were committed.");
    }

    [Fact]
    public async Task Bad_requests_get_the_same_problem_details_and_unknown_ids_a_404()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractbadsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractbadtgt");
        await using var host = await StartHostAsync(Settings(source, target));

        using var bad = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"bogus"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await ApiHostExtensions.ReadJsonAsync(bad);
        Assert.Contains("\"all\"", problem.GetProperty("errors").GetProperty("mode")[0].GetString(), StringComparison.Ordinal);
        using var outOfRange = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","parallelism":0}""");
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.True((await ApiHostExtensions.ReadJsonAsync(outOfRange)).GetProperty("errors").TryGetProperty("parallelism", out _));

        using var missing = await host.Client.GetAsync("/api/migrations/never-started");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var cancelMissing = await host.Client.PostAsync("/api/migrations/never-started/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, cancelMissing.StatusCode);
        using var cutoverMissing = await host.Client.PostAsync("/api/migrations/never-started/cutover", null);
        Assert.Equal(HttpStatusCode.NotFound, cutoverMissing.StatusCode);
        Assert.Contains("\"online\": true", (await ApiHostExtensions.ReadJsonAsync(cutoverMissing)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var onlineSchema = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"schema","online":true}""");
        Assert.Equal(HttpStatusCode.BadRequest, onlineSchema.StatusCode);
        Assert.True((await ApiHostExtensions.ReadJsonAsync(onlineSchema)).GetProperty("errors").TryGetProperty("online", out _));
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task A_start_whose_body_is_not_declared_as_JSON_is_a_415_that_says_what_to_send_and_starts_nothing(string? contentType)
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractmediasrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractmediatgt");
        await using var host = await StartHostAsync(Settings(source, target));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"source":"source","target":"target","id":"contract-media"}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await host.Client.PostAsync("/api/migrations", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiHostExtensions.ReadJsonAsync(response);
        Assert.Equal(415, problem.GetProperty("status").GetInt32());
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var status = await host.Client.GetAsync("/api/migrations/contract-media");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    public async Task A_start_declared_as_JSON_with_or_without_a_UTF_8_charset_is_read(string contentType)
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractjsonsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractjsontgt");
        await using var host = await StartHostAsync(Settings(source, target));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"source":"source","target":"target","mode":"bogus"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await host.Client.PostAsync("/api/migrations", content);

        // Read and validated: the answer is about the body's fields, not its media type.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiHostExtensions.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty("mode", out _));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_413_that_names_the_limit_whether_or_not_it_declares_its_length()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractbigsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractbigtgt");
        await using var host = await StartHostAsync(Settings(source, target));
        var flood = $$"""{"source":"source","target":"target","id":"contract-big","exclude":[{{string.Join(",", Enumerable.Range(0, 200_000).Select(i => $"\"public.table_{i:D100}\""))}}]}""";
        Assert.True(flood.Length > 20_000_000);

        foreach (var content in new HttpContent[] { new StringContent(flood, Encoding.UTF8, "application/json"), new UnknownLengthContent(flood) })
        {
            using var response = await host.Client.PostAsync("/api/migrations", content);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = (await ApiHostExtensions.ReadJsonAsync(response)).GetProperty("detail").GetString()!;
            Assert.Contains("at most 1048576", detail, StringComparison.Ordinal);
            Assert.Contains("wildcards", detail, StringComparison.Ordinal);
        }

        using var status = await host.Client.GetAsync("/api/migrations/contract-big");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        AssertNoLongLogLine(host);
    }

    [Fact]
    public async Task Pattern_lists_and_patterns_over_their_limits_are_a_400_that_names_the_limit_and_echoes_no_more_than_a_glimpse()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractlistsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractlisttgt");
        await using var host = await StartHostAsync(Settings(source, target));
        var tooMany = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"public.t{i}\""));
        var tooLong = new string('x', 50_000);
        var unknownFields = string.Join(",", Enumerable.Range(0, 30_000).Select(i => $"\"field{i}\":1"));

        foreach (var (body, field, fix) in new[]
        {
            ($$"""{"source":"source","target":"target","exclude":[{{tooMany}}]}""", "exclude", "at most 1000 (MigrationLimits.MaxPatterns)"),
            ($$"""{"source":"source","target":"target","include":["public.{{tooLong}}"]}""", "include", "at most 300 (MigrationLimits.MaxPatternLength)"),
            ($$"""{"source":"{{tooLong}}","target":"target"}""", "source", "at most 128"),
            ($$"""{"source":"source","target":"target",{{unknownFields}}}""", "field0", "not a field"),
        })
        {
            using var response = await host.PostJsonAsync("/api/migrations", body);
            var text = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Contains(fix, string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString())), StringComparison.Ordinal);
            Assert.True(text.Length < 8_000, $"A {body.Length}-character request got a {text.Length}-character problem: {text[..Math.Min(500, text.Length)]}");
        }

        AssertNoLongLogLine(host);
    }

    [Fact]
    public async Task Patterns_that_match_nothing_fail_the_run_with_a_status_and_log_lines_that_stay_small()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractnomatchsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractnomatchtgt");
        await FillAsync(source, 100);
        await using var host = await StartHostAsync(Settings(source, target));
        var patterns = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"public.nosuch_{i}_{new string('x', 250)}\""));

        using var response = await host.PostJsonAsync("/api/migrations", $$"""{"source":"source","target":"target","id":"contract-nomatch","exclude":[{{patterns}}]}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var statuses = await host.PollUntilDoneAsync("/api/migrations/contract-nomatch");

        var last = statuses[^1];
        Assert.Equal("Failed", last.GetProperty("runtimeStatus").GetString());
        Assert.True(last.GetProperty("errors").GetArrayLength() == 1, $"{last}");
        var error = last.GetProperty("errors")[0].GetString()!;
        Assert.Contains("nosuch_0_", error, StringComparison.Ordinal);
        Assert.Contains("more patterns that match nothing", error, StringComparison.Ordinal);
        Assert.True(last.ToString().Length < 16_000, $"The status has {last.ToString().Length} characters.");
        AssertNoLongLogLine(host);
    }

    [Fact]
    public async Task A_failure_on_the_target_names_the_target_and_its_error_ends_with_one_advice_line_worded_for_this_API()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractfailsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractfailtgt");
        await FillAsync(source, 100);
        await target.ExecuteAsync(Orders);
        await using var role = await TestRole.CreateAsync(target, "GRANT SELECT, INSERT, DELETE, TRUNCATE ON public.orders, public.notes TO {0}");
        var settings = Settings(source, target);
        settings["Connections:target"] = role.ConnectionString;
        await using var host = await StartHostAsync(settings);

        // The target passes the checks, then refuses what planning must create there (its bookkeeping schema).
        using var response = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","mode":"data","id":"contract-fail"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var last = (await host.PollUntilDoneAsync("/api/migrations/contract-fail"))[^1];

        Assert.Equal("Failed", last.GetProperty("runtimeStatus").GetString());
        var error = Assert.Single(last.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Contains("On the target server", error, StringComparison.Ordinal);
        Assert.DoesNotContain("source catalog", error, StringComparison.Ordinal);
        var advice = error.Split('\n').Where(l => l.Contains("Fix the cause", StringComparison.Ordinal)).ToList();
        Assert.True(advice.Count == 1, $"Expected one advice line: {error}");
        Assert.Contains("\"id\":\"contract-fail\"", advice[0], StringComparison.Ordinal);
        Assert.DoesNotContain("same command", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_holds_every_migration_newest_first_under_Durable_field_names()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractlistrunssrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractlistrunstgt");
        await FillAsync(source, 1_000);
        await target.ExecuteAsync(Orders);
        await using var host = await StartHostAsync(Settings(source, target));
        var (emptyResponse, empty) = await host.GetAsync("/api/migrations");
        emptyResponse.Dispose();
        Assert.Empty(empty.GetProperty("migrations").EnumerateArray());
        Assert.Equal(100, empty.GetProperty("limit").GetInt32());

        foreach (var (id, table) in new[] { ("contract-list-older", "public.orders"), ("contract-list-newer", "public.notes") })
        {
            using var start = await host.PostJsonAsync("/api/migrations", $$"""{"source":"source","target":"target","mode":"data","include":["{{table}}"],"id":"{{id}}"}""");
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var last = (await host.PollUntilDoneAsync($"/api/migrations/{id}"))[^1];
            Assert.True(last.GetProperty("runtimeStatus").GetString() == "Completed", $"Migration ended {last}");
        }

        var (response, list) = await host.GetAsync("/api/migrations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        response.Dispose();
        var migrations = list.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(["contract-list-newer", "contract-list-older"], migrations.Select(m => m.GetProperty("instanceId").GetString()));
        foreach (var migration in migrations)
        {
            Assert.Equal("Completed", migration.GetProperty("runtimeStatus").GetString());
            Assert.Equal("completed", migration.GetProperty("customStatus").GetProperty("phase").GetString());
            Assert.True(migration.GetProperty("lastUpdatedTime").GetDateTimeOffset() >= migration.GetProperty("createdTime").GetDateTimeOffset(), migration.ToString());
        }

        Assert.True(migrations[0].GetProperty("createdTime").GetDateTimeOffset() > migrations[1].GetProperty("createdTime").GetDateTimeOffset(), list.ToString());
    }

    [Fact]
    public async Task Health_and_the_schema_browser_read_the_configured_servers()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contractbrowsesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("contractbrowsetgt");
        await FillAsync(source, 1_000);
        await using var host = await StartHostAsync(Settings(source, target));

        var (healthResponse, health) = await host.GetAsync("/api/health");
        healthResponse.Dispose();
        Assert.True(health.GetProperty("healthy").GetBoolean(), health.ToString());
        Assert.Equal(["connection:source", "connection:target", "storage"], health.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order());

        var (browseResponse, listing) = await host.GetAsync("/api/connections/source/schemas");
        browseResponse.Dispose();
        var tables = listing.GetProperty("schemas").EnumerateArray().SelectMany(s => s.GetProperty("tables").EnumerateArray().Select(t => $"{s.GetProperty("name").GetString()}.{t.GetProperty("name").GetString()}"));
        Assert.Equal(["public.notes", "public.orders"], tables.Order());
    }

    private static async Task FillAsync(TestDatabase source, int orders)
    {
        await source.ExecuteAsync(Orders);
        await source.ExecuteAsync($"""
            INSERT INTO public.orders SELECT g, 'customer ' || (g % 977), (g % 10000) / 100.0 FROM generate_series(1, {orders}) g;
            INSERT INTO public.notes SELECT timestamptz '2024-01-01' + g * interval '1 second', 'note ' || g FROM generate_series(1, {orders / 3}) g;
            ANALYZE;
            """);
    }

    // A log line holds a message, not a request: no line, whatever was sent, is longer than a failed statement's text.
    private static void AssertNoLongLogLine(IApiHost host)
    {
        var longest = host.Logs.Lines.MaxBy(l => l.Length) ?? string.Empty;
        Assert.True(longest.Length < 12_000, $"A log line has {longest.Length} characters: {longest[..Math.Min(500, longest.Length)]}");
    }

    private static Dictionary<string, string?> Settings(TestDatabase source, TestDatabase target) => new()
    {
        ["Connections:source"] = source.ConnectionString,
        ["Connections:target"] = target.ConnectionString,
        ["Checkpoints:Folder"] = Path.Combine(Path.GetTempPath(), $"pgmigrate-contract-{Guid.NewGuid():N}"),
    };
}

/// <summary>A body sent in chunks, without a Content-Length: the host learns its size only by reading it.</summary>
internal sealed class UnknownLengthContent : HttpContent
{
    private readonly string text;

    public UnknownLengthContent(string text)
    {
        this.text = text;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

public sealed class ServeHttpContractTests : HttpContractTests
{
    protected override async Task<IApiHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings) => await ServeHost.StartAsync(settings);
}

public sealed class FunctionsHttpContractTests : HttpContractTests
{
    protected override async Task<IApiHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings) => await FunctionsAppHost.StartAsync(settings);
}

/// <summary>The same contract with the Functions app on the backend it uses in Azure: DurableTask.AzureStorage over Azurite.</summary>
public sealed class AzureStorageFunctionsHttpContractTests : HttpContractTests
{
    protected override async Task<IApiHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings) =>
        await FunctionsAppHost.StartAsync(settings, DurableBackend.AzureStorage);
}
