using Microsoft.Extensions.Logging;
using PgMigration.Cli.Hosting;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests.Hosting;

/// <summary><c>pgmigrate serve</c> on a free loopback port.</summary>
public sealed class ServeHost : IApiHost
{
    private readonly LocalApiServer server;

    private ServeHost(LocalApiServer server, LogCapture logs)
    {
        this.server = server;
        Logs = logs;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Client { get; }

    public LogCapture Logs { get; }

    public static async Task<ServeHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var logs = new LogCapture();
        var server = await LocalApiServer.StartAsync(new LocalApiServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Settings = settings,
            ConfigureLogging = logging => logging.ClearProviders().AddProvider(logs),
        });
        return new ServeHost(server, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await server.DisposeAsync();
    }
}
