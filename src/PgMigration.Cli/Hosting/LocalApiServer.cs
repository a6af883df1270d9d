using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;

namespace PgMigration.Cli.Hosting;

/// <summary>
/// <c>pgmigrate serve</c>: the HTTP routes of the Functions app on Kestrel, running migrations in this
/// process through <see cref="LocalMigrationRunner"/>.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly LocalMigrationRunner runner;
    private readonly MigrationEnvironment environment;

    private LocalApiServer(WebApplication app, LocalMigrationRunner runner, MigrationEnvironment environment)
    {
        this.app = app;
        this.runner = runner;
        this.environment = environment;
    }

    /// <summary>The address Kestrel listens on (with the real port when the URL asked for port 0).</summary>
    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public LocalMigrationRunner Runner => runner;

    public static async Task<LocalApiServer> StartAsync(LocalApiServerOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        options.ConfigureLogging?.Invoke(builder.Logging);
        var app = builder.Build();

        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var environment = MigrationEnvironment.FromConfiguration(
            app.Configuration,
            configure: settings => settings with
            {
                CheckpointsLocation = options.Checkpoints ?? settings.CheckpointsLocation,
                StorageConnectionString = options.StorageConnectionString ?? settings.StorageConnectionString,
                LoggerFactory = loggers,
            });
        var runner = new LocalMigrationRunner(
            WorkflowRegistry.ForMigrations(environment.Activities),
            new LocalWorkflowOptions { Logger = loggers.CreateLogger<LocalMigrationRunner>(), Recorder = options.Recorder });
        var api = new MigrationApi(MigrationApiOptions.For(environment, runner, loggers.CreateLogger<MigrationApi>()));
        HttpApiEndpoints.Map(app, api);
        await app.StartAsync(cancellationToken);
        return new LocalApiServer(app, runner, environment);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await runner.DisposeAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        await environment.DisposeAsync();
    }
}
