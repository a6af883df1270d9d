using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PgMigration.Cli.Hosting;
using PgMigration.Core.Workflow.Local;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests.Http;

/// <summary>
/// <c>pgmigrate serve</c> on a free loopback port, with an HTTP client for it and every log line it
/// wrote, for tests that drive the API over real HTTP.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private ApiServer(LocalApiServer server, string checkpoints, LogCapture logs)
    {
        Server = server;
        Checkpoints = checkpoints;
        Logs = logs;
        Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public LocalApiServer Server { get; }

    public HttpClient Client { get; }

    public string Checkpoints { get; }

    public LogCapture Logs { get; }

    /// <param name="connections">Connection name to connection string, as Connections__name would give them.</param>
    /// <param name="settings">Other app settings, in configuration form (Progress:StreamedPublishInterval, ...).</param>
    public static async Task<ApiServer> StartAsync(
        IReadOnlyDictionary<string, string> connections, string? checkpoints = null, WorkflowRecorder? recorder = null, string? storageConnectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        checkpoints ??= Path.Combine(Path.GetTempPath(), $"pgmigrate-api-{Guid.NewGuid():N}");
        var logs = new LogCapture();
        var server = await LocalApiServer.StartAsync(new LocalApiServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Checkpoints = checkpoints,
            Settings = connections.Select(c => KeyValuePair.Create($"Connections:{c.Key}", (string?)c.Value)).Concat(settings ?? new Dictionary<string, string?>()).ToDictionary(),
            ConfigureLogging = logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information),
            Recorder = recorder,
            StorageConnectionString = storageConnectionString,
        });
        return new ApiServer(server, checkpoints, logs);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
