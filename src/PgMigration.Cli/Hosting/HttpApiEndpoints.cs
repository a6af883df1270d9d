using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PgMigration.Core.Api;

namespace PgMigration.Cli.Hosting;

/// <summary>The routes of DESIGN.md on ASP.NET Core: each one reads the request and calls <see cref="MigrationApi"/>.</summary>
internal static class HttpApiEndpoints
{
    public static void Map(WebApplication app, MigrationApi api)
    {
        app.MapPost("/api/migrations", async (HttpRequest request, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct);
            return ToResult(await api.StartAsync(body, new Uri($"{request.Scheme}://{request.Host}"), ct));
        });
        app.MapGet("/api/migrations/{id}", async (string id, CancellationToken ct) => ToResult(await api.GetStatusAsync(id, ct)));
        app.MapPost("/api/migrations/{id}/cancel", async (string id, CancellationToken ct) => ToResult(await api.CancelAsync(id, ct)));
        app.MapGet("/api/connections/{name}/schemas", async (string name, CancellationToken ct) => ToResult(await api.BrowseSchemasAsync(name, ct)));
        app.MapGet("/api/health", async (CancellationToken ct) => ToResult(await api.HealthAsync(ct)));
    }

    private static IResult ToResult(ApiResult result)
    {
        var json = Results.Json(
            result.Body,
            ApiJson.Options,
            contentType: result.Body is ApiProblem ? "application/problem+json" : "application/json",
            statusCode: result.StatusCode);
        return result.Location is null ? json : new WithLocation(json, result.Location);
    }

    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
