using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests.Hosting;

/// <summary>A host of the HTTP API under test: <c>pgmigrate serve</c> or the Functions app.</summary>
public interface IApiHost : IAsyncDisposable
{
    HttpClient Client { get; }

    /// <summary>Every line the host logged.</summary>
    LogCapture Logs { get; }
}

public static class ApiHostExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this IApiHost host, string path, string json) =>
        host.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(this IApiHost host, string path)
    {
        var response = await host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return (response, JsonDocument.Parse(body).RootElement.Clone());
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    /// <summary>Polls the status URL until the run leaves Pending/Running; returns every status body seen.</summary>
    public static async Task<List<JsonElement>> PollUntilDoneAsync(this IApiHost host, string statusUri, TimeSpan? timeout = null)
    {
        var seen = new List<JsonElement>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromMinutes(4)))
        {
            var (response, status) = await host.GetAsync(statusUri);
            response.Dispose();
            seen.Add(status);
            if (status.GetProperty("runtimeStatus").GetString() is not ("Pending" or "Running"))
            {
                return seen;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{statusUri} was still running after {watch.Elapsed}: {seen[^1]}");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Delay(20);
        }
    }
}
