using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow;

namespace PgMigration.Functions;

/// <summary>
/// The HTTP routes of DESIGN.md, the same as <c>pgmigrate serve</c>; each delegates to <see cref="MigrationApi"/>.
/// They take no function key: in Azure, App Service authentication (infra/modules/app-authentication.bicep)
/// admits only Entra sign-ins before a request reaches them, and the dashboard, which calls them from the
/// browser, has a sign-in but never a key.
/// </summary>
public sealed class MigrationHttpFunctions(MigrationEnvironment environment, ILogger<MigrationHttpFunctions> logger)
{
    [Function("StartMigration")]
    public async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "migrations")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).StartAsync(await ApiHttp.ReadJsonBodyAsync(request, cancellationToken), ApiHttp.BaseUri(request), cancellationToken));

    [Function("ListMigrations")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "migrations")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).ListAsync(cancellationToken));

    [Function("GetMigration")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "migrations/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).GetStatusAsync(id, cancellationToken));

    [Function("CancelMigration")]
    public async Task<IResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "migrations/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).CancelAsync(id, cancellationToken));

    [Function("CutoverMigration")]
    public async Task<IResult> Cutover(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "migrations/{id}/cutover")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).CutoverAsync(id, await ApiHttp.ReadOptionalJsonBodyAsync(request, cancellationToken), cancellationToken));

    [Function("BrowseSchemas")]
    public async Task<IResult> BrowseSchemas(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connections/{name}/schemas")] HttpRequest request,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).BrowseSchemasAsync(name, cancellationToken));

    [Function("Health")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        ApiHttp.ToResult(await Api(client).HealthAsync(cancellationToken));

    private MigrationApi Api(DurableTaskClient client) => new(MigrationApiOptions.For(environment, new DurableMigrationRunner(client), logger));
}
