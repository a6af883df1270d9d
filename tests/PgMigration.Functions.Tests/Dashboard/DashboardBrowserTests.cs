using System.Diagnostics;
using Microsoft.Playwright;
using Npgsql;
using PgMigration.Functions.Tests.Hosting;
using PgMigration.Testing;
using static Microsoft.Playwright.Assertions;

namespace PgMigration.Functions.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium), served by each host, against real databases: browse,
/// select, start, watch the bars, cancel, resume, read the verified report; and a refused request shown
/// next to its field.
/// </summary>
public abstract class DashboardBrowserTests
{
    // sales (three tables, one named in mixed case) is selected as a schema, public.events as a table; public.notes stays behind.
    private const string Source = """
        CREATE SCHEMA sales;
        CREATE TABLE sales.customers (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer int NOT NULL REFERENCES sales.customers, amount numeric(12,2));
        CREATE TABLE sales."Returns" (id int PRIMARY KEY, amount numeric(12,2));
        CREATE TABLE public.events (id bigint PRIMARY KEY, kind text NOT NULL, payload text);
        CREATE TABLE public.notes (id int PRIMARY KEY, note text);
        INSERT INTO sales.customers SELECT g, 'customer ' || g FROM generate_series(1, 500) g;
        INSERT INTO sales.orders SELECT g, 1 + g % 500, (g % 10000) / 100.0 FROM generate_series(1, 20000) g;
        INSERT INTO public.events SELECT g, 'kind ' || (g % 17), repeat(md5(g::text), 2) FROM generate_series(1, 800000) g;
        INSERT INTO public.notes SELECT g, 'note ' || g FROM generate_series(1, 100) g;
        INSERT INTO sales."Returns" SELECT g, g / 100.0 FROM generate_series(1, 300) g;
        ANALYZE;
        """;

    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The host under test and the path it serves the page at.</summary>
    protected abstract Task<(IApiHost Host, string PagePath)> StartHostAsync(IReadOnlyDictionary<string, string?> settings);

    protected abstract string HostName { get; }

    [Fact]
    public async Task A_selected_table_and_schema_migrate_with_moving_bars_through_a_cancel_and_a_resume_to_a_verified_report()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("dashsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("dashtgt");
        await source.ExecuteAsync(Source);
        var (host, pagePath) = await StartHostAsync(Settings(source, target));
        await using var _ = host;
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(host.Client.BaseAddress!, pagePath));

        // Connections with their health, and the source's tree.
        await Expect(page.Locator("#connection-list li[data-connection='source'] .healthy")).ToHaveTextAsync("reachable");
        await Expect(page.Locator("#connection-list li[data-connection='target'] .version")).ToContainTextAsync("PostgreSQL 15");
        await Expect(page.Locator("#tree input[data-table='events']")).ToBeVisibleAsync();
        await Expect(page.Locator("#tree li[data-name='public.events'] .stats")).ToContainTextAsync("800");

        // The search narrows the tree; clearing it shows everything again.
        await page.GetByLabel("Find a schema or table").FillAsync("event");
        await Expect(page.Locator("#tree li[data-name='public.notes']")).ToBeHiddenAsync();
        await Expect(page.Locator("#tree li[data-name='public.events']")).ToBeVisibleAsync();
        await page.Locator("#tree input[data-table='events']").CheckAsync();
        await page.GetByLabel("Find a schema or table").FillAsync(string.Empty);
        await page.Locator("#tree input[data-schema='sales']:not([data-table])").CheckAsync();
        await Expect(page.Locator("#tree input[data-schema='sales'][data-table='orders']")).ToBeCheckedAsync();
        await Expect(page.Locator("#scope-summary")).ToHaveTextAsync("Selected: schema sales, table public.events.");

        await page.GetByLabel("Schema + data").CheckAsync();
        await page.GetByLabel("Parallelism").FillAsync("1");
        await page.GetByLabel("Batch size in rows").FillAsync("1000");
        await page.GetByLabel("Migration id").FillAsync("dash-flow");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start migration" }).ClickAsync();

        // Bars move: at least two distinct values between 0 and 100 before the cancel.
        await Expect(page.Locator("#detail-id")).ToHaveTextAsync("dash-flow");
        var beforeCancel = await WatchProgressAsync(page, stopAfterDistinct: 2, screenshot: "mid-migration");
        Assert.True(beforeCancel.Count >= 2, $"The overall bar showed {string.Join(", ", beforeCancel)} before the cancel.");
        await Expect(page.Locator("#tables tr[data-table='public.events'] progress")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#detail-status")).ToContainTextAsync("Terminated", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        await Expect(page.Locator("#errors")).ToContainTextAsync("press Resume");
        await Expect(page.Locator("#run-list button[data-id='dash-flow']")).ToContainTextAsync("Terminated");
        var copiedAtCancel = await target.ScalarAsync<long>("SELECT count(*) FROM public.events");
        Assert.InRange(copiedAtCancel, 1, 799_999);
        await SaveScreenshotAsync(page, "cancelled");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator("#banner")).ToContainTextAsync("dash-flow resumed");
        var afterResume = await WatchProgressAsync(page, stopAfterDistinct: int.MaxValue, screenshot: null);

        // The report: every selected table, rows, MB and verification; the banner says it finished.
        await Expect(page.Locator("#report")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
        await Expect(page.Locator("#banner")).ToContainTextAsync("dash-flow completed: 4 of 4 tables verified");
        var rows = page.Locator("#report-table tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(page.Locator("#report-table tr[data-table='public.events']")).ToContainTextAsync("800,000 / 800,000");
        await Expect(page.Locator("#report-table .verified")).ToHaveCountAsync(4);

        // A name in mixed case is shown as SQL writes it, beside the size its copy reported (found by schema and name, not by the shown text).
        var returns = page.Locator("#report-table tr[data-table='sales.\"Returns\"']");
        await Expect(returns).ToContainTextAsync("300 / 300");
        await Expect(returns.Locator("td.num").Nth(1)).ToHaveTextAsync("0.0");
        await Expect(page.Locator("#overall-progress")).ToHaveJSPropertyAsync("value", 100);
        // What the cancelled run had committed is marked, and kept out of the rate.
        await Expect(page.Locator("#tables tr[data-table='public.events'] td").First).ToContainTextAsync("copied (resumed at ");
        await Expect(page.Locator("#overall-text")).ToContainTextAsync("rows resumed from an earlier run, not in the rate");
        await SaveScreenshotAsync(page, "report");
        Assert.True(afterResume.All(v => v > 0), $"After the resume the bar started over: {string.Join(", ", afterResume)}");

        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'"));
        var selected = (await RowHashes.OfEveryTableAsync(source)).Where(t => t.Key != "public.notes").ToDictionary();
        Assert.Equal(selected, await RowHashes.OfEveryTableAsync(target));
        Assert.DoesNotContain(Password(), await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(browser.OffLoopbackRequests);
    }

    [Fact]
    public async Task A_refused_request_shows_each_problem_next_to_its_field_on_a_phone_sized_screen()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("dashbadsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("dashbadtgt");
        await source.ExecuteAsync("CREATE TABLE public.items (id int PRIMARY KEY); ANALYZE;");
        var (host, pagePath) = await StartHostAsync(Settings(source, target));
        await using var _ = host;
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(host.Client.BaseAddress!, pagePath), width: 375, height: 800);
        await Expect(page.Locator("#tree input[data-table='items']")).ToBeVisibleAsync();

        // Nothing selected is caught before anything is sent.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start migration" }).ClickAsync();
        await Expect(page.Locator("#include-error")).ToContainTextAsync("Nothing is selected");

        // The server's 400 under the field it names.
        await page.GetByLabel("Everything").CheckAsync();
        await page.GetByLabel("Parallelism").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start migration" }).ClickAsync();
        await Expect(page.Locator("#parallelism-error")).ToContainTextAsync("parallelism");
        await Expect(page.Locator("#parallelism")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#include-error")).ToBeHiddenAsync();
        await Expect(page.Locator("#parallelism")).ToBeFocusedAsync();
        await SaveScreenshotAsync(page, "validation-375px");

        // Usable at 375 px: nothing wider than the screen, every control reachable by keyboard.
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 375, "The page scrolls sideways at 375 px.");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("batchSize", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.GetByLabel("Parallelism").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Start migration" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#detail-status")).ToContainTextAsync("Completed", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#parallelism-error")).ToBeHiddenAsync();
        Assert.Empty(browser.OffLoopbackRequests);
    }

    // Reads the overall bar until the migration stops running; returns the distinct values strictly between 0 and 100.
    [Fact]
    public async Task An_online_migration_shows_its_follow_phase_with_lag_and_rate_until_it_is_cut_over()
    {
        await using var source = await PgMigration.Testing.Online.OnlineSource.CreateAsync("dashonlinesrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("dashonlinetgt");
        var (host, pagePath) = await StartHostAsync(Settings(source, target));
        await using var _ = host;
        try
        {
            using (var start = await host.PostJsonAsync("/api/migrations", """{"source":"source","target":"target","online":true,"id":"dash-online"}"""))
            {
                Assert.Equal(202, (int)start.StatusCode);
            }

            await using var browser = await ChromiumBrowser.LaunchAsync();
            var page = await browser.OpenAsync(new Uri(host.Client.BaseAddress!, pagePath));
            await page.Locator("#run-list button[data-id='dash-online']").ClickAsync();
            await Expect(page.Locator("#timeline li[data-phase='follow']")).ToHaveClassAsync("current", new LocatorAssertionsToHaveClassOptions { Timeout = 120_000 });
            await Expect(page.Locator("#replication")).ToContainTextAsync("changes applied");
            await Expect(page.Locator("#replication")).ToContainTextAsync("lag");
            await SaveScreenshotAsync(page, "online-follow");

            using (var cutover = await host.PostJsonAsync("/api/migrations/dash-online/cutover", "{}"))
            {
                Assert.Equal(202, (int)cutover.StatusCode);
            }

            await Expect(page.Locator("#detail-status")).ToContainTextAsync("Completed", new LocatorAssertionsToContainTextOptions { Timeout = 120_000 });
            await Expect(page.Locator("#timeline li[data-phase='cutover']")).ToHaveClassAsync("done");
            Assert.Empty(browser.OffLoopbackRequests);
        }
        finally
        {
            await PgMigration.Testing.Online.OnlineSource.DropReplicationSlotsAsync(source);
        }
    }

    private async Task<List<double>> WatchProgressAsync(IPage page, int stopAfterDistinct, string? screenshot)
    {
        var seen = new List<double>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            var value = await page.Locator("#overall-progress").EvaluateAsync<double>("p => p.value");
            if (value is > 0 and < 100 && !seen.Contains(value))
            {
                seen.Add(value);
                if (seen.Count == 1 && screenshot is not null)
                {
                    await SaveScreenshotAsync(page, screenshot);
                }

                if (seen.Count >= stopAfterDistinct)
                {
                    return seen;
                }
            }

            if (!await page.Locator("#cancel").IsEnabledAsync() && await page.Locator("#detail-status").TextContentAsync() is { } status && !status.StartsWith("Running", StringComparison.Ordinal) && !status.StartsWith("Pending", StringComparison.Ordinal))
            {
                return seen;
            }

            await Task.Delay(100);
        }

        return seen;
    }

    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        var path = Path.Combine(Screenshots, $"{HostName}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        // PGMIGRATE_UPDATE_DOCS=1 refreshes the README's picture from this run instead of leaving the repository as it was.
        if (name == "mid-migration" && HostName == "serve" && Environment.GetEnvironmentVariable("PGMIGRATE_UPDATE_DOCS") == "1")
        {
            File.Copy(path, Path.Combine(RepositoryRoot(), "docs", "dashboard.png"), overwrite: true);
        }
    }

    private static string Password() =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("PGMIGRATE_TEST_POSTGRES")).Password ?? throw new InvalidOperationException("The test server has no password.");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgMigrationFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PgMigrationFunctions.sln above {AppContext.BaseDirectory}.");
    }

    private static Dictionary<string, string?> Settings(TestDatabase source, TestDatabase target) => new()
    {
        ["Connections:source"] = source.ConnectionString,
        ["Connections:target"] = target.ConnectionString,
        ["Checkpoints:Folder"] = Path.Combine(Path.GetTempPath(), $"pgmigrate-dashboard-{Guid.NewGuid():N}"),
    };
}

public sealed class ServeDashboardBrowserTests : DashboardBrowserTests
{
    protected override string HostName => "serve";

    protected override async Task<(IApiHost Host, string PagePath)> StartHostAsync(IReadOnlyDictionary<string, string?> settings) =>
        (await ServeHost.StartAsync(settings), "/");
}

public sealed class FunctionsDashboardBrowserTests : DashboardBrowserTests
{
    protected override string HostName => "functions";

    protected override async Task<(IApiHost Host, string PagePath)> StartHostAsync(IReadOnlyDictionary<string, string?> settings) =>
        (await FunctionsAppHost.StartAsync(settings), "/api/dashboard");
}
