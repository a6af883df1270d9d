namespace PgMigration.Core.Api;

/// <summary>How far one table's copy is. Rate and ETA are null until there is something to measure.</summary>
public sealed record TableProgress
{
    public required string Schema { get; init; }

    public required string Table { get; init; }

    public required string State { get; init; }

    public long RowsCopied { get; init; }

    public long RowsEstimated { get; init; }

    public long BytesCopied { get; init; }

    public int ChunksDone { get; init; }

    public int ChunksTotal { get; init; }

    public double? RowsPerSecond { get; init; }

    public double? EtaSeconds { get; init; }
}
