namespace PgMigration.Core.Workflow;

/// <summary>The ranges a request is held to, shared by validation and the hosts' help texts.</summary>
public static class MigrationLimits
{
    public const int DefaultParallelism = 4;
    public const int MinParallelism = 1;

    // Every parallel copy holds a connection on both servers; beyond this the servers, not we, are the limit.
    public const int MaxParallelism = 64;

    public const int DefaultBatchSize = 50_000;
    public const int MinBatchSize = 100;

    // A batch is one target transaction; bigger ones hold locks and WAL for too long.
    public const int MaxBatchSize = 5_000_000;

    public const int DefaultChunkMegabytes = 128;

    public const int MaxIdLength = 64;
}
