using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

[JsonConverter(typeof(JsonStringEnumConverter<ChunkKind>))]
public enum ChunkKind
{
    /// <summary>Rows whose key lies in (LowerKey, UpperKey]; a null bound is open.</summary>
    KeyRange,

    /// <summary>Rows whose ctid lies in blocks [FirstBlock, EndBlock) of a table without a usable key.</summary>
    BlockRange,
}

/// <summary>
/// One unit of copy work. Key bounds are the key columns' text forms, cast back to the column types in
/// SQL, so any btree-ordered key (text, uuid, timestamps, composite) can bound a chunk.
/// </summary>
public sealed record CopyChunk
{
    public required string Id { get; init; }

    /// <summary>The table (or partition leaf) the chunk's rows are in.</summary>
    public required QualifiedName Table { get; init; }

    public required ChunkKind Kind { get; init; }

    public IReadOnlyList<string>? LowerKey { get; init; }

    public IReadOnlyList<string>? UpperKey { get; init; }

    public long FirstBlock { get; init; }

    public long? EndBlock { get; init; }

    public long EstimatedRows { get; init; }

    public long EstimatedBytes { get; init; }

    public string Describe() => Kind == ChunkKind.KeyRange
        ? $"chunk {Id} of {Table} (key {Bound(LowerKey, "start")} .. {Bound(UpperKey, "end")})"
        : $"chunk {Id} of {Table} (blocks {FirstBlock} .. {(EndBlock is { } end ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : "end")})";

    private static string Bound(IReadOnlyList<string>? key, string open) => key is null ? open : $"({string.Join(", ", key)})";
}
