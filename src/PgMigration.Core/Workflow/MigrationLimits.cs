using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow;

/// <summary>The ranges a migration is held to, the same for the HTTP API and the command line.</summary>
public static class MigrationLimits
{
    public const int DefaultParallelism = 4;
    public const int MinParallelism = 1;

    // Every parallel copy holds a connection on both servers; beyond this the servers, not we, are the limit.
    public const int MaxParallelism = 64;

    /// <summary>In practice one batch per chunk: the chunk, not the batch, bounds what a crash can lose.</summary>
    public const int DefaultBatchSize = TableCopierOptions.DefaultBatchSize;
    public const int MinBatchSize = 100;

    // No batch is larger than its chunk, so this bound only has to hold the default.
    public const int MaxBatchSize = 10_000_000;

    /// <summary>Tables up to this size copy whole; it also bounds what a crash makes a worker copy again.</summary>
    public const int DefaultChunkMegabytes = (int)(ChunkPlannerOptions.DefaultChunkBytes / (1024 * 1024));
    public const int MinChunkMegabytes = 1;
    public const int MaxChunkMegabytes = 1_000_000;

    public const int MaxIdLength = 64;
}
