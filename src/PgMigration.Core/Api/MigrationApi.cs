using System.Diagnostics;
using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Online;
using PgMigration.Core.Workflow.Models;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Api;

/// <summary>
/// The HTTP routes of both hosts as plain functions: request in, <see cref="ApiResult"/> out. The
/// minimal API and the Functions app each call these from a few lines of adapter code.
/// </summary>
public sealed class MigrationApi(MigrationApiOptions options)
{
    public const string MigrationsRoute = "api/migrations";

    /// <summary>How many migrations <c>GET /api/migrations</c> lists at most, newest first.</summary>
    public const int ListLimit = 100;

    /// <summary>What 202 answers suggest as the wait before the next poll (Retry-After).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly MigrationRequestValidator validator = new(options.Connections);

    /// <summary>Validates the request; if it is valid, returns the input to start, otherwise the 400 to answer.</summary>
    public MigrationRequestValidator.Outcome Validate(string? body)
    {
        var outcome = validator.Validate(body, NewId());
        if (outcome.Problem is not null)
        {
            options.Logger.RequestRefused(outcome.Problem.Status, BoundedText.Message(outcome.Problem.Detail));
        }

        return outcome;
    }

    /// <summary>
    /// <c>POST /api/migrations</c>, with the body as <see cref="ApiHttp.ReadJsonBodyAsync"/> read it.
    /// <paramref name="baseUri"/> is the scheme, host and port the caller used.
    /// </summary>
    public async Task<ApiResult> StartAsync(RequestBody body, Uri baseUri, CancellationToken cancellationToken = default)
    {
        if (body.Problem is { } refused)
        {
            options.Logger.RequestRefused(refused.Status, BoundedText.Message(refused.Detail));
            return ApiResult.Problem(refused);
        }

        var outcome = Validate(body.Json);
        if (outcome.Input is not { } input)
        {
            return ApiResult.Problem(outcome.Problem!);
        }

        var previous = await options.Runner.GetAsync(input.Id, cancellationToken);
        if (previous is { IsActive: true })
        {
            return ApiResult.Problem(new ApiProblem
            {
                Title = "The migration is already running.",
                Status = 409,
                Detail = $"Migration '{input.Id}' is {previous.RuntimeStatus}. Poll GET /{MigrationsRoute}/{input.Id}, or cancel it first with POST /{MigrationsRoute}/{input.Id}/cancel.",
            });
        }

        if (await PlanOptions.ReadAsync(options.Checkpoints(input.Id), cancellationToken) is { } stored && PlanOptions.Of(input).DifferencesFrom(stored) is { Count: > 0 } differences)
        {
            return ApiResult.Problem(new ApiProblem
            {
                Title = "The migration was started with other options.",
                Status = 409,
                Detail = PlanOptions.Changed(differences, "send a request without an id (or with a new one) to start a new migration"),
            });
        }

        var resumed = previous is not null || (await options.Progress.ReadAsync(input.Id, null, cancellationToken)).Count > 0;
        await MigrationCancellation.ClearAsync(options.Checkpoints(input.Id), cancellationToken);
        await options.Runner.StartAsync(input, cancellationToken);
        options.Logger.MigrationStarted(input.Id, input.Source, input.Target, input.Mode.ToString(), input.Parallelism, resumed);
        var status = new Uri(baseUri, $"/{MigrationsRoute}/{input.Id}").ToString();
        return new ApiResult(202, new MigrationAccepted(input.Id, status, $"{status}/cancel", resumed)) { Location = status, RetryAfter = PollInterval };
    }

    /// <summary><c>GET /api/migrations/{id}</c>.</summary>
    public async Task<ApiResult> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        var run = await options.Runner.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return ApiResult.Problem(ApiProblem.NotFound($"No migration has the id '{id}'. Start one with POST /{MigrationsRoute}."));
        }

        var tables = await options.Progress.ReadAsync(id, run.CreatedTime, cancellationToken);
        var status = MigrationStatus.From(run, tables) with { Replication = await ReplicationProgress.ReadAsync(options.Checkpoints(id), cancellationToken) };
        return run.IsActive
            ? new ApiResult(202, status) { Location = $"/{MigrationsRoute}/{id}", RetryAfter = PollInterval }
            : new ApiResult(200, status);
    }

    /// <summary><c>GET /api/migrations</c>: the newest <see cref="ListLimit"/> migrations, newest first.</summary>
    public async Task<ApiResult> ListAsync(CancellationToken cancellationToken = default)
    {
        var runs = await options.Runner.ListAsync(ListLimit, cancellationToken);
        return new ApiResult(200, new MigrationList([.. runs.Select(MigrationSummary.Of)], ListLimit));
    }

    /// <summary><c>POST /api/migrations/{id}/cancel</c>.</summary>
    public async Task<ApiResult> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var run = await options.Runner.GetAsync(id, cancellationToken);
        if (run is null)
        {
            return ApiResult.Problem(ApiProblem.NotFound($"No migration has the id '{id}'; nothing to cancel."));
        }

        if (run.IsActive)
        {
            // First the record every activity watches, so that none starts or goes on after the runner has stopped.
            await MigrationCancellation.RequestAsync(options.Checkpoints(id), DateTimeOffset.UtcNow, cancellationToken);
            await options.Runner.CancelAsync(id, cancellationToken);
            options.Logger.MigrationCancelled(id);
        }

        if (options.OnCancelled is { } cleanUp)
        {
            await cleanUp(id, cancellationToken);
        }

        return new ApiResult(202, new MigrationCancelled(id, run.IsActive, run.RuntimeStatus));
    }

    /// <summary>
    /// <c>POST /api/migrations/{id}/cutover</c>, body optional: <c>{"lockSource": true}</c>. Recorded in the
    /// migration's checkpoints, where its follow phase looks every second, wherever it runs.
    /// </summary>
    public async Task<ApiResult> CutoverAsync(string id, RequestBody body, CancellationToken cancellationToken = default)
    {
        var run = await options.Runner.GetAsync(id, cancellationToken);
        var store = options.Checkpoints(id);
        if (run is null || await OnlineStart.ReadAsync(store, cancellationToken) is null)
        {
            return ApiResult.Problem(ApiProblem.NotFound($"No online migration with the id '{id}' has started following its source; start one with POST /{MigrationsRoute} and \"online\": true."));
        }

        if (body.Problem is { } refused)
        {
            return ApiResult.Problem(refused);
        }

        var lockSource = false;
        try
        {
            if (!string.IsNullOrWhiteSpace(body.Json))
            {
                using var json = System.Text.Json.JsonDocument.Parse(body.Json);
                lockSource = json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && json.RootElement.TryGetProperty("lockSource", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.True;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return ApiResult.Problem(new ApiProblem { Title = "The body is not JSON.", Status = 400, Detail = "Send no body, or {\"lockSource\": true} to make the source's tables read-only for the cut over." });
        }

        await new CutoverRequest(DateTimeOffset.UtcNow, lockSource).StoreAsync(store, cancellationToken);
        return new ApiResult(202, new CutoverRequested(id, lockSource)) { Location = $"/{MigrationsRoute}/{id}", RetryAfter = PollInterval };
    }

    /// <summary><c>GET /api/connections/{name}/schemas</c>.</summary>
    public async Task<ApiResult> BrowseSchemasAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!options.Connections.Contains(name))
        {
            return ApiResult.Problem(ApiProblem.NotFound(
                $"No connection is named '{name}'. Configured: {string.Join(", ", options.Connections.Names)}. Add the setting {AppSettingNames.ConnectionsSection}__{name}."));
        }

        ConnectionSpec spec;
        try
        {
            spec = options.Connections.Resolve(name);
        }
        catch (InvalidConnectionException ex)
        {
            return ApiResult.Problem(new ApiProblem { Title = "The connection is misconfigured.", Status = 500, Detail = ex.Message });
        }

        try
        {
            await using var dataSource = DataSourceFactory.Create(spec, options.Credential, maxPoolSize: 1, warn: warning => options.Logger.PasswordSourceWarning(warning));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ServerTimeout);
            var schemas = await SchemaBrowser.ReadAsync(dataSource, timeout.Token);
            return new ApiResult(200, new SchemaListing(name, spec.Display, schemas));
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ApiResult.Problem(ApiProblem.Unavailable($"Reading the catalog of '{name}' ({spec.Display}) failed: {Describe(ex)}"));
        }
    }

    /// <summary><c>GET /api/health</c>: storage and every named connection.</summary>
    public async Task<ApiResult> HealthAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<Task<HealthCheckResult>> { CheckAsync("storage", options.Storage.CheckAsync, cancellationToken) };
        foreach (var name in options.Connections.Names)
        {
            checks.Add(CheckAsync($"connection:{name}", ct => PingAsync(name, ct), cancellationToken));
        }

        var results = await Task.WhenAll(checks);
        var healthy = results.All(r => r.Healthy);
        return new ApiResult(healthy ? 200 : 503, new HealthReport(healthy, results));
    }

    private async Task<string> PingAsync(string name, CancellationToken cancellationToken)
    {
        var spec = options.Connections.Resolve(name);
        await using var dataSource = DataSourceFactory.Create(spec, options.Credential, maxPoolSize: 1, warn: warning => options.Logger.PasswordSourceWarning(warning));
        await using var command = dataSource.CreateCommand("select current_setting('server_version')");
        var version = await command.ScalarAsync(cancellationToken);
        return $"{spec.Display}: PostgreSQL {version}";
    }

    private async Task<HealthCheckResult> CheckAsync(string name, Func<CancellationToken, Task<string>> check, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ServerTimeout);
        try
        {
            var detail = await check(timeout.Token);
            return new HealthCheckResult(name, true, detail, watch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = Describe(ex);
            options.Logger.HealthCheckFailed(name, detail);
            return new HealthCheckResult(name, false, detail, watch.ElapsedMilliseconds);
        }
    }

    private string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => $"no answer within {options.ServerTimeout.TotalSeconds:0}s; check the host, port and firewall.",
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        _ => ex.Message,
    };

    // Only the HTTP edge makes ids; the workflow takes them from its input.
    private static string NewId() => $"m-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
}
