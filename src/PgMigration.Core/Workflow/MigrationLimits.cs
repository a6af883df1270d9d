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

    /// <summary>How long one follow activity of an online migration streams: short enough for any Functions plan's activity timeout.</summary>
    public const int DefaultFollowActivitySeconds = 30;

    /// <summary>The largest body <c>POST /api/migrations</c> reads; a request within every other limit is far smaller.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    // One pattern with wildcards covers a schema or a family of tables; a list longer than this is a
    // list of table names that an include of the schema (or a wildcard) says better.
    public const int MaxPatterns = 1000;

    // A PostgreSQL name is at most 63 bytes; schema.table with both parts quoted and every quote doubled stays under this.
    public const int MaxPatternLength = 300;

    /// <summary>The longest connection name a request may send: the name of a host setting, not a connection string.</summary>
    public const int MaxConnectionNameLength = 128;
}
