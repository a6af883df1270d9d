using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;

namespace PgMigration.Core.Copy;

public sealed record DataCopyOptions
{
    /// <summary>Chunks copied at the same time, across all tables.</summary>
    public int Parallelism { get; init; } = 4;

    public int BatchSize { get; init; } = TableCopierOptions.DefaultBatchSize;

    public ChunkPlannerOptions Planner { get; init; } = new();

    public TableLayoutReaderOptions Tables { get; init; } = new();

    /// <summary>
    /// A snapshot exported with <see cref="SourceSnapshot"/> (held open by the caller): every chunk reads
    /// the source as of that one instant, a consistent copy of a live database.
    /// </summary>
    public string? SnapshotId { get; init; }

    /// <summary>
    /// Drop the copy ledger once every chunk is done. Callers that run post-data steps exactly-once
    /// through the same ledger turn this off and call <see cref="CopyLedger.DropAsync"/> at the very end.
    /// </summary>
    public bool DropLedgerWhenDone { get; init; } = true;

    /// <summary>Plan the source's large objects too (with their owners and grants when <see cref="LargeObjectOwnersAndGrants"/>).</summary>
    public bool LargeObjects { get; init; }

    public bool LargeObjectOwnersAndGrants { get; init; }

    public ResilienceOptions Resilience { get; init; } = new();

    public Action<ChunkProgress>? OnProgress { get; init; }

    /// <summary>Retries and other notes for people; never carries a secret.</summary>
    public Action<string>? OnMessage { get; init; }

    /// <summary>
    /// How a migration plans its rows: the tables its filter includes, in chunks of at most <paramref name="chunkMegabytes"/>,
    /// and the large objects when there is no filter (they belong to the whole database, not to a schema).
    /// </summary>
    public static DataCopyOptions ForPlanning(CatalogFilter filter, int chunkMegabytes, bool ownersAndGrants = false) => new()
    {
        LargeObjects = filter.IsEmpty,
        LargeObjectOwnersAndGrants = ownersAndGrants,
        Tables = new TableLayoutReaderOptions { Include = (schema, name) => filter.IncludesRelation(new QualifiedName(schema, name)) },
        // Only tables bigger than a chunk are split. A whole table is one stream into a table no other
        // writer extends, and a new one lands frozen (TableCopier); splitting smaller tables to give every
        // worker several chunks made clones take 20% longer at scale 10 and 12% at scale 50 (bench/, 2 cores).
        Planner = new ChunkPlannerOptions { ChunkBytes = chunkMegabytes * 1024L * 1024 },
    };
}
