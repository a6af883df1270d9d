using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PgMigration.Core.Api;

/// <summary>
/// The HTTP edge of both hosts: reading a request for <see cref="MigrationApi"/> and writing its
/// <see cref="ApiResult"/>. <c>pgmigrate serve</c> and the Functions app (ASP.NET Core integration) both
/// call these, so the same request gets the same status, headers and body on either host.
/// </summary>
public static class ApiHttp
{
    /// <summary>The scheme, host and port the caller used, which the status URLs are built on.</summary>
    public static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}");

    public static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public static IResult ToResult(ApiResult result) => new ApiHttpResult(result);

    private sealed class ApiHttpResult(ApiResult result) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = result.StatusCode;
            response.ContentType = result.Body is ApiProblem ? "application/problem+json" : "application/json; charset=utf-8";
            if (result.Location is not null)
            {
                response.Headers.Location = result.Location;
            }

            if (result.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await response.WriteAsync(ApiJson.Serialize(result.Body), httpContext.RequestAborted);
        }
    }
}
