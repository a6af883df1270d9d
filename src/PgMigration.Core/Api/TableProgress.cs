using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Api;

/// <summary>
/// How far one table's copy is, or the large objects' (<see cref="Kind"/>, shown as the table they live in).
/// Rate and ETA are null until there is something to measure, and count only this run's rows.
/// </summary>
public sealed record TableProgress
{
    public required string Schema { get; init; }

    /// <summary>The table's name within <see cref="Schema"/>.</summary>
    public required string Table { get; init; }

    public DataKind Kind { get; init; } = DataKind.Table;

    /// <summary>The table as the engine knows it.</summary>
    [JsonIgnore]
    public QualifiedName Id => new(Schema, Table);

    /// <summary>Schema and name as they are written in SQL, quoted where needed: how people are shown the table.</summary>
    public string DisplayName => Id.Sql;

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
