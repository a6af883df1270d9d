using Microsoft.AspNetCore.Http;
using PgMigration.Core.Api;

namespace PgMigration.Core.Dashboard;

/// <summary>Serves the dashboard's files the same way on both hosts: <c>pgmigrate serve</c> and the Functions app.</summary>
public static class DashboardHttp
{
    // Only this app's own files and API: no inline script or style, no other origin, no framing.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The file named by the last path segment; the page when there is none.</summary>
    public static IResult Serve(string? asset) => DashboardAssets.Find(asset) is { } found
        ? new AssetResult(found)
        : ApiHttp.ToResult(ApiResult.Problem(ApiProblem.NotFound($"The dashboard has no file '{asset}'. Open {DashboardAssets.Route}.")));

    private sealed class AssetResult(DashboardAsset asset) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = 200;
            response.ContentType = asset.ContentType;
            response.ContentLength = asset.Content.Length;
            response.Headers.CacheControl = "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers["Referrer-Policy"] = "no-referrer";
            await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted);
        }
    }
}
