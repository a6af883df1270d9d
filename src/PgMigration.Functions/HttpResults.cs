using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using PgMigration.Core.Api;

namespace PgMigration.Functions;

/// <summary>Writes a Core <see cref="ApiResult"/> as the Functions response.</summary>
internal static class HttpResults
{
    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, ApiResult result, CancellationToken cancellationToken = default)
    {
        var response = request.CreateResponse((HttpStatusCode)result.StatusCode);
        response.Headers.Add("Content-Type", result.Body is ApiProblem ? "application/problem+json" : "application/json");
        if (result.Location is not null)
        {
            response.Headers.Add("Location", result.Location);
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(ApiJson.Serialize(result.Body)), cancellationToken);
        return response;
    }
}
