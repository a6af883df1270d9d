namespace PgMigration.Core.Api;

/// <summary>How far one table's copy is. Rate and ETA are null until there is something to measure, and count only this run's rows.</summary>
public sealed record TableProgress
{
    public required string Schema { get; init; }

    public required string Table { get; init; }

    public required TableCopyState State { get; init; }

    public long RowsCopied { get; init; }

    public long RowsEstimated { get; init; }

    public long BytesCopied { get; init; }

    /// <summary>Of <see cref="RowsCopied"/>, what earlier runs had committed when this one started: not counted in the rate.</summary>
    public long RowsResumed { get; init; }

    /// <summary>Of <see cref="BytesCopied"/>, what earlier runs had committed when this one started.</summary>
    public long BytesResumed { get; init; }

    public int ChunksDone { get; init; }

    public int ChunksTotal { get; init; }

    public double? RowsPerSecond { get; init; }

    public double? EtaSeconds { get; init; }
}
