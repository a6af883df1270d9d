using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow;

public sealed record MigrationEnvironmentOptions
{
    /// <summary>
    /// Where every migration keeps its checkpoints, one sub-folder or blob prefix per migration id: a folder,
    /// or a blob container URL (https://ACCOUNT.blob.core.windows.net/CONTAINER).
    /// </summary>
    public required string CheckpointsLocation { get; init; }

    /// <summary>Credential for Entra connections and blob storage; null means DefaultAzureCredential.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Shared-key connection string for blob storage (Azurite); null signs in with <see cref="Credential"/>.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Connections each server's pool may open; each copy activity holds one per side.</summary>
    public int MaxPoolSize { get; init; } = 32;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// One store for the migration instead of one per id under <see cref="CheckpointsLocation"/>: the
    /// command line runs one migration and names its checkpoint folder itself.
    /// </summary>
    public Func<string, ICheckpointStore>? CheckpointStore { get; init; }

    /// <summary>A snapshot exported by the caller and held open: every read of the source uses it (one process only).</summary>
    public string? SourceSnapshotId { get; init; }

    /// <summary>
    /// Data sources the host has already opened, by connection name (null for a name it has none for):
    /// used instead of new ones, and left to the host to dispose. Each new data source costs its first
    /// connection a sign-in and a read of the server's types.
    /// </summary>
    public Func<string, NpgsqlDataSource?>? DataSources { get; init; }

    /// <summary>
    /// Whether a batch in flight reports the rows it has streamed before it commits; false reports committed
    /// batches only (bench/ runs both to measure what the counting costs).
    /// </summary>
    public bool ReportStreamedProgress { get; init; } = true;

    /// <summary>
    /// How often a batch in flight publishes its streamed rows through the checkpoint store, for status
    /// reads by other processes (HTTP on another Functions instance, pgmigrate status); null publishes none.
    /// </summary>
    public TimeSpan? StreamedPublishInterval { get; init; } = TableCopierOptions.DefaultStreamedPublishInterval;

    /// <summary>Called after every committed batch (progress display of the command line).</summary>
    public Action<ChunkProgress>? OnChunkProgress { get; init; }

    /// <summary>
    /// Called with pg_stat_progress_create_index's report of each key and index build, every
    /// <see cref="IndexProgressInterval"/>, by the process that builds it (progress display of the command line).
    /// </summary>
    public Action<Schema.IndexBuildProgress>? OnIndexProgress { get; init; }

    public TimeSpan IndexProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called every few seconds while an online migration follows its source.</summary>
    public Action<Online.ReplicationProgress>? OnReplicationProgress { get; init; }

    /// <summary>Called after every committed pre-data transaction (large schemas are created in several).</summary>
    public Action<PreDataBatchApplied>? OnPreDataBatchApplied { get; init; }
}
