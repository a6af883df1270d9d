using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Api;

/// <summary>What the shared HTTP handlers need from their host.</summary>
public sealed record MigrationApiOptions
{
    public required NamedConnections Connections { get; init; }

    public required IMigrationRunner Runner { get; init; }

    public required IMigrationProgressReader Progress { get; init; }

    public required IStorageProbe Storage { get; init; }

    /// <summary>The checkpoint store of a migration id, where a cancel is recorded for its activities.</summary>
    public required Func<string, ICheckpointStore> Checkpoints { get; init; }

    /// <summary>Credential for Entra connections; null means DefaultAzureCredential.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>How long a health or browse request waits for a server.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Runs after a cancel has stopped a migration: an online one drops its replication slot and publication.</summary>
    public Func<string, CancellationToken, Task>? OnCancelled { get; init; }

    /// <summary>The options of a host's handlers over its migration environment and workflow runner.</summary>
    public static MigrationApiOptions For(MigrationEnvironment environment, IMigrationRunner runner, ILogger logger) => new()
    {
        Connections = environment.Connections,
        Runner = runner,
        Progress = new CheckpointProgressReader(environment.CheckpointsFor, environment.Streaming),
        Storage = new CheckpointStorageProbe(() => environment.CheckpointsFor("_health")),
        Checkpoints = environment.CheckpointsFor,
        Credential = environment.Options.Credential,
        Logger = logger,
        OnCancelled = (id, ct) => new OnlineActivities(environment, logger).DropReplicationAsync(id, ct),
    };
}
