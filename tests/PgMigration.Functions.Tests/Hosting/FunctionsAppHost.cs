using System.Reflection;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PgMigration.Testing;

namespace PgMigration.Functions.Tests.Hosting;

/// <summary>
/// The Functions app of src/PgMigration.Functions, run in this process the way the Functions host runs it:
/// its services registered by its own <see cref="MigrationServices"/>, its orchestrators and activities on
/// a real Durable Task engine (a DurableTask.Core orchestration service behind the gRPC sidecar and the
/// real Durable worker and client), and its HTTP functions on Kestrel under the routes their attributes
/// and host.json declare. Nothing of Durable or Functions is faked; only the Functions host process
/// itself (which cannot be installed here) is replaced by this wiring.
/// </summary>
public sealed class FunctionsAppHost : IApiHost
{
    private static readonly Assembly App = typeof(MigrationServices).Assembly;

    private readonly IHost sidecar;
    private readonly IHost worker;
    private readonly WebApplication http;
    private readonly GrpcChannel channel;

    private FunctionsAppHost(IHost sidecar, IHost worker, WebApplication http, GrpcChannel channel, LogCapture logs)
    {
        this.sidecar = sidecar;
        this.worker = worker;
        this.http = http;
        this.channel = channel;
        Logs = logs;
        BaseAddress = new Uri(http.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public DurableTaskClient DurableClient => worker.Services.GetRequiredService<DurableTaskClient>();

    public LogCapture Logs { get; }

    /// <param name="settings">App settings in configuration form (Connections:source, Checkpoints:Folder, ...).</param>
    /// <param name="backend">The engine's storage.</param>
    /// <param name="taskHub">The Azure Storage task hub: two hosts on one hub share their orchestrations.</param>
    /// <param name="runsWork">
    /// False for an instance that only answers HTTP: its engine dispatches nothing, so every orchestration and
    /// activity runs on another host of the same task hub, as on a scaled-out app.
    /// </param>
    public static async Task<FunctionsAppHost> StartAsync(IReadOnlyDictionary<string, string?> settings, DurableBackend backend = DurableBackend.InMemory, string? taskHub = null, bool runsWork = true)
    {
        var logs = new LogCapture();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var engine = await CreateEngineAsync(backend, taskHub, loggers);

        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Warning))
            .ConfigureWebHostDefaults(web => web
                .UseUrls("http://127.0.0.1:0")
                .ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2))
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton(engine);
                    services.AddSingleton((IOrchestrationServiceClient)engine);
                    services.AddSingleton<TaskHubGrpcServer>();
                    services.Configure<TaskHubGrpcServerOptions>(options => options.Mode = runsWork ? TaskHubGrpcServerMode.ApiServerAndDispatcher : TaskHubGrpcServerMode.ApiServerOnly);
                })
                .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>())))
            .Build();
        await sidecar.StartAsync();
        var channel = GrpcChannel.ForAddress(AddressOf(sidecar.Services));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning).AddFilter("System", LogLevel.Warning))
            .ConfigureServices(services =>
            {
                services.AddMigrationServices(configuration);
                if (runsWork)
                {
                    services.AddDurableTaskWorker(builder => builder.UseGrpc(channel).AddTasks(registry => FunctionAdapters.Register(registry, App)));
                }

                services.AddDurableTaskClient(builder => builder.UseGrpc(channel).RegisterDirectly());
            })
            .Build();
        await worker.StartAsync();
        if (runsWork)
        {
            await WaitUntilEngineStartedAsync(engine);
        }

        var http = await StartHttpAsync(worker.Services, logs);
        return new FunctionsAppHost(sidecar, worker, http, channel, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await http.StopAsync();
        await http.DisposeAsync();
        await worker.StopAsync();
        worker.Dispose();
        await channel.ShutdownAsync();
        channel.Dispose();
        await sidecar.StopAsync();
        sidecar.Dispose();
    }

    private static async Task<IOrchestrationService> CreateEngineAsync(DurableBackend backend, string? taskHub, ILoggerFactory loggers)
    {
        if (backend == DurableBackend.InMemory)
        {
            return new InMemoryOrchestrationService(loggers);
        }

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub ?? $"pgm{Guid.NewGuid():N}"[..20],
            StorageAccountClientProvider = new StorageAccountClientProvider(Azurite.FullConnectionString),
            LoggerFactory = loggers,
            // A worker that stops mid-run leaves its messages invisible this long before another takes them.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            PartitionCount = 1,
            CustomMessageTypeBinder = new ProtobufTagsBinder(),
        });
        await service.CreateIfNotExistsAsync();
        return service;
    }

    // The sidecar starts the engine once the worker has connected, and stopping an Azure Storage engine that
    // has not started yet throws on a background thread (its shutdown token is still null), which ends the
    // test process: a host that is disposed soon after it started must not get there first.
    private static async Task WaitUntilEngineStartedAsync(IOrchestrationService engine)
    {
        var started = engine.GetType().GetField("isStarted", BindingFlags.Instance | BindingFlags.NonPublic);
        if (engine is not AzureStorageOrchestrationService || started is null)
        {
            return;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(bool)started.GetValue(engine)! && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    // The app's HTTP functions under "{routePrefix}/{Route}" with the methods of their [HttpTrigger].
    private static async Task<WebApplication> StartHttpAsync(IServiceProvider appServices, LogCapture logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Warning);
        var http = builder.Build();
        var prefix = RoutePrefix();
        foreach (var (_, method) in FunctionAdapters.Functions(App).Where(f => FunctionAdapters.Has<HttpTriggerAttribute>(f.Method)))
        {
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(t => t is not null)!;
            http.MapMethods($"/{prefix}/{trigger.Route}", trigger.Methods!.Select(m => m.ToUpperInvariant()), async context =>
            {
                var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(appServices, method.DeclaringType!);
                var arguments = method.GetParameters().Select(p => p.ParameterType switch
                {
                    var t when t == typeof(HttpRequest) => context.Request,
                    var t when t == typeof(DurableTaskClient) => appServices.GetRequiredService<DurableTaskClient>(),
                    var t when t == typeof(CancellationToken) => context.RequestAborted,
                    _ => context.Request.RouteValues[p.Name!],
                }).ToArray();
                var result = (IResult)(await FunctionAdapters.ResultOfAsync(method.Invoke(target, arguments)))!;
                await result.ExecuteAsync(context);
            });
        }

        await http.StartAsync();
        return http;
    }

    private static string RoutePrefix()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "host.json");
        using var hostJson = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return hostJson.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString()!;
    }
}
