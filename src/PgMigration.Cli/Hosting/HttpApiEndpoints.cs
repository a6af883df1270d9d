using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PgMigration.Core.Api;
using PgMigration.Core.Dashboard;

namespace PgMigration.Cli.Hosting;

/// <summary>The routes of DESIGN.md on ASP.NET Core: each one reads the request and calls <see cref="MigrationApi"/>; the dashboard at / and /api/dashboard.</summary>
internal static class HttpApiEndpoints
{
    public static void Map(WebApplication app, MigrationApi api)
    {
        app.MapPost("/api/migrations", async (HttpRequest request, CancellationToken ct) =>
            ApiHttp.ToResult(await api.StartAsync(await ApiHttp.ReadJsonBodyAsync(request, ct), ApiHttp.BaseUri(request), ct)));
        app.MapGet("/api/migrations", async (CancellationToken ct) => ApiHttp.ToResult(await api.ListAsync(ct)));
        app.MapGet("/api/migrations/{id}", async (string id, CancellationToken ct) => ApiHttp.ToResult(await api.GetStatusAsync(id, ct)));
        app.MapPost("/api/migrations/{id}/cutover", async (string id, HttpRequest request, CancellationToken ct) =>
            ApiHttp.ToResult(await api.CutoverAsync(id, await ApiHttp.ReadOptionalJsonBodyAsync(request, ct), ct)));
        app.MapPost("/api/migrations/{id}/cancel", async (string id, CancellationToken ct) => ApiHttp.ToResult(await api.CancelAsync(id, ct)));
        app.MapGet("/api/connections/{name}/schemas", async (string name, CancellationToken ct) => ApiHttp.ToResult(await api.BrowseSchemasAsync(name, ct)));
        app.MapGet("/", () => DashboardHttp.Serve(null));
        app.MapGet($"{DashboardAssets.Route}/{{*asset}}", (string? asset) => DashboardHttp.Serve(asset));
        app.MapGet("/api/health", async (CancellationToken ct) => ApiHttp.ToResult(await api.HealthAsync(ct)));
    }
}
