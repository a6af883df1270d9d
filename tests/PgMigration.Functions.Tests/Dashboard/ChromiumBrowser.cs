using Microsoft.Playwright;

namespace PgMigration.Functions.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, with no browser download and no network beyond loopback:
/// every request to another host is aborted and recorded, so a page that needs a CDN or a font service fails.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    /// <summary>Where the browser is looked for; scripts/test.sh exports it after installing Debian's chromium.</summary>
    public const string PathVariable = "PGMIGRATE_TEST_CHROMIUM";

    private const string DefaultPath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;
    private readonly List<string> offLoopback = [];

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    /// <summary>Requests the pages made to any host but 127.0.0.1 (all of them were aborted).</summary>
    public IReadOnlyList<string> OffLoopbackRequests => offLoopback;

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;
        if (!File.Exists(path))
        {
            // A missing browser fails the run: a skipped dashboard test would pass CI without the dashboard being checked.
            throw new InvalidOperationException(
                $"Chromium is not installed at {path}. Install Debian's chromium (as root: apt-get update && apt-get install -y chromium) " +
                $"or set {PathVariable} to a Chromium executable; scripts/test.sh does both.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = Arguments });
        return new ChromiumBrowser(playwright, browser);
    }

    public async Task<IPage> OpenAsync(Uri url, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url) is { IsLoopback: true } || route.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (offLoopback)
                {
                    offLoopback.Add(route.Request.Url);
                }

                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
