using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Api;

/// <summary>
/// The HTTP edge of both hosts: reading a request for <see cref="MigrationApi"/> and writing its
/// <see cref="ApiResult"/>. <c>pgmigrate serve</c> and the Functions app (ASP.NET Core integration) both
/// call these, so the same request gets the same status, headers and body on either host.
/// </summary>
public static class ApiHttp
{
    private const string JsonMediaType = "application/json";

    /// <summary>The scheme, host and port the caller used, which the status URLs are built on.</summary>
    public static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}");

    /// <summary>
    /// The JSON body of a request, or a 415 when it is declared as anything but <c>application/json</c>
    /// (UTF-8), or a 413 when it is larger than <see cref="MigrationLimits.MaxRequestBytes"/>. Reading stops
    /// at that limit, so no body, however large, is held in memory whole.
    /// </summary>
    /// <summary>A body that may be left out (an empty POST): read as JSON when there is one.</summary>
    public static Task<RequestBody> ReadOptionalJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken = default) =>
        request.ContentLength is null or 0 && string.IsNullOrWhiteSpace(request.ContentType)
            ? Task.FromResult(RequestBody.Of(string.Empty))
            : ReadJsonBodyAsync(request, cancellationToken);

    public static async Task<RequestBody> ReadJsonBodyAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        if (MediaTypeProblem(request.ContentType) is { } problem)
        {
            return RequestBody.Refused(ApiProblem.UnsupportedMediaType(problem));
        }

        if (request.ContentLength > MigrationLimits.MaxRequestBytes)
        {
            return RequestBody.Refused(TooLarge(request.ContentLength.Value.ToString(CultureInfo.InvariantCulture)));
        }

        using var content = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (content.Length + read > MigrationLimits.MaxRequestBytes)
            {
                return RequestBody.Refused(TooLarge($"more than {MigrationLimits.MaxRequestBytes}"));
            }

            content.Write(buffer, 0, read);
        }

        return RequestBody.Of(Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length));
    }

    public static IResult ToResult(ApiResult result) => new ApiHttpResult(result);

    private static string? MediaTypeProblem(string? contentType)
    {
        const string Fix = "Send the body as JSON with the header 'Content-Type: application/json', e.g. " +
            "curl -H 'Content-Type: application/json' -d '{\"source\":\"source\",\"target\":\"target\"}'.";
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return $"The request has no Content-Type. {Fix}";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return $"The body is declared as '{BoundedText.Echo(contentType)}', not {JsonMediaType}. {Fix}";
        }

        var charset = mediaType.Charset.Value?.Trim('"');
        if (!string.IsNullOrEmpty(charset) && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return $"The body is declared in the charset '{BoundedText.Echo(charset)}'; JSON is read as UTF-8. Send it as UTF-8 with 'Content-Type: application/json' or 'application/json; charset=utf-8'.";
        }

        return null;
    }

    private static ApiProblem TooLarge(string bytes) => ApiProblem.ContentTooLarge(
        $"The body has {bytes} bytes; POST /{MigrationApi.MigrationsRoute} takes at most {MigrationLimits.MaxRequestBytes} (MigrationLimits.MaxRequestBytes). " +
        $"A request names two connections and at most {MigrationLimits.MaxPatterns} include and {MigrationLimits.MaxPatterns} exclude patterns: " +
        "cover many tables with one pattern and wildcards (\"sales\", \"sales.order_*\") instead of listing them.");

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
