using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow;

namespace PgMigration.Functions;

/// <summary>The HTTP routes of DESIGN.md, the same as <c>pgmigrate serve</c>; each delegates to <see cref="MigrationApi"/>.</summary>
public sealed class MigrationHttpFunctions(MigrationEnvironment environment, ILogger<MigrationHttpFunctions> logger)
{
    [Function("StartMigration")]
    public async Task<HttpResponseData> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "migrations")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var api = Api(client);
        var body = await request.ReadAsStringAsync();
        var result = await api.StartAsync(body, request.Url, context.CancellationToken);
        return result.Body is MigrationAccepted accepted
            ? await client.CreateCheckStatusResponseAsync(request, accepted.Id, context.CancellationToken)
            : await HttpResults.WriteAsync(request, result, context.CancellationToken);
    }

    [Function("GetMigration")]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "migrations/{id}")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await HttpResults.WriteAsync(request, await Api(client).GetStatusAsync(id, context.CancellationToken), context.CancellationToken);

    [Function("CancelMigration")]
    public async Task<HttpResponseData> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "migrations/{id}/cancel")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await HttpResults.WriteAsync(request, await Api(client).CancelAsync(id, context.CancellationToken), context.CancellationToken);

    [Function("BrowseSchemas")]
    public async Task<HttpResponseData> BrowseSchemas(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "connections/{name}/schemas")] HttpRequestData request,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await HttpResults.WriteAsync(request, await Api(client).BrowseSchemasAsync(name, context.CancellationToken), context.CancellationToken);

    [Function("Health")]
    public async Task<HttpResponseData> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await HttpResults.WriteAsync(request, await Api(client).HealthAsync(context.CancellationToken), context.CancellationToken);

    private MigrationApi Api(DurableTaskClient client) => new(environment.ApiOptions(new DurableMigrationRunner(client), logger));
}
