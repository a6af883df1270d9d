using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow;

/// <summary>
/// What a host runs migrations with: its named connections, one pooled data source per connection,
/// checkpoint storage per migration id and the activities. Both hosts build it from the same
/// configuration keys (<see cref="AppSettingNames"/>); the HTTP handlers' options come from it too
/// (<c>MigrationApiOptions.For</c>).
/// </summary>
public sealed class MigrationEnvironment : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> dataSources = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger passwordWarnings;

    public MigrationEnvironment(NamedConnections connections, MigrationEnvironmentOptions options)
    {
        Connections = connections;
        Options = options;
        Activities = new GuardedActivities(new MigrationActivities(this, options.LoggerFactory.CreateLogger<MigrationActivities>()), CheckpointsFor);
        passwordWarnings = options.LoggerFactory.CreateLogger("PgMigration.Connections");
    }

    public NamedConnections Connections { get; }

    public MigrationEnvironmentOptions Options { get; }

    public IMigrationActivities Activities { get; }

    /// <summary>What the copies running in this process have streamed and not committed yet.</summary>
    public StreamedVolumes Streaming { get; } = new();

    /// <summary>Snapshots exported by the replication slots of online migrations in their copy phase, held by this process.</summary>
    public Online.HeldSnapshots HeldSnapshots { get; } = new();

    /// <summary>
    /// Reads <c>Connections:*</c>, <see cref="AppSettingNames.StreamedProgressInterval"/> and the checkpoint settings: <c>Checkpoints:BlobServiceUri</c> with
    /// <c>Checkpoints:Container</c> in Azure, else <c>Checkpoints:Folder</c>, else <paramref name="defaultFolder"/>.
    /// </summary>
    public static MigrationEnvironment FromConfiguration(IConfiguration configuration, string? defaultFolder = null, Func<MigrationEnvironmentOptions, MigrationEnvironmentOptions>? configure = null)
    {
        var blobService = configuration[AppSettingNames.CheckpointsBlobServiceUri];
        var location = !string.IsNullOrWhiteSpace(blobService)
            ? $"{blobService.TrimEnd('/')}/{configuration[AppSettingNames.CheckpointsContainer] ?? AppSettingNames.DefaultCheckpointsContainer}"
            : configuration[AppSettingNames.CheckpointsFolder] ?? defaultFolder ?? Path.Combine(Environment.CurrentDirectory, "pgmigrate-checkpoints");
        var options = new MigrationEnvironmentOptions
        {
            CheckpointsLocation = location,
            StreamedPublishInterval = configuration.GetValue(AppSettingNames.StreamedProgressInterval, TableCopierOptions.DefaultStreamedPublishInterval),
        };
        return new MigrationEnvironment(new NamedConnections(configuration), configure?.Invoke(options) ?? options);
    }

    /// <summary>The checkpoint store of one migration.</summary>
    public ICheckpointStore CheckpointsFor(string migrationId) =>
        Options.CheckpointStore?.Invoke(migrationId) ?? CheckpointStoreFactory.Create($"{Options.CheckpointsLocation.TrimEnd('/', '\\')}/{migrationId}", Options.Credential, Options.StorageConnectionString);

    /// <summary>The one pooled data source of a named connection.</summary>
    public NpgsqlDataSource DataSource(string connectionName) =>
        Options.DataSources?.Invoke(connectionName) ?? dataSources.GetOrAdd(
            connectionName,
            name => new Lazy<NpgsqlDataSource>(() => DataSourceFactory.Create(
                Connections.Resolve(name), Options.Credential, Options.MaxPoolSize, warn: warning => passwordWarnings.PasswordSourceWarning(warning)))).Value;

    public async ValueTask DisposeAsync()
    {
        await HeldSnapshots.DisposeAsync();
        foreach (var source in dataSources.Values.Where(s => s.IsValueCreated))
        {
            await source.Value.DisposeAsync();
        }
    }
}
