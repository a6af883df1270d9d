using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>
/// The tables and chunks of one migration, biggest chunk first. Stored in the checkpoint store the first
/// time and read back on every rerun, so chunk ids and bounds never change under existing checkpoints.
/// </summary>
public sealed record DataPlan
{
    public const string DocumentId = "data-plan";

    /// <summary>Unique per plan, so a target reused by another migration never mistakes its ledger entries.</summary>
    public required string Id { get; init; }

    public required string Source { get; init; }

    public required IReadOnlyList<TableLayout> Tables { get; init; }

    public required IReadOnlyList<CopyChunk> Chunks { get; init; }

    /// <summary>The source's large objects, when this migration copies them (it has no filters, and the source has some).</summary>
    public LargeObjectPlan? LargeObjects { get; init; }

    public TableLayout TableOf(CopyChunk chunk) =>
        Tables.First(t => t.Id == chunk.Table);

    /// <summary>
    /// Every table's chunks, by table, in one pass: with thousands of tables, looking each table's
    /// chunks up by scanning all of them makes planning and every activity's lookup grow with the square.
    /// </summary>
    public ILookup<QualifiedName, CopyChunk> ChunksByTable() => Chunks.ToLookup(c => c.Table);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static DataPlan FromJson(string json)
    {
        // A plan is not remade in place: its chunks are what the checkpoints and the target's records refer to.
        const string Fix = "It cannot be planned again under the same checkpoints: empty the target's migrated tables (or use a new database) and start with new checkpoints.";
        try
        {
            return JsonSerializer.Deserialize<DataPlan>(json, JsonOptions) ?? throw new Checkpoints.CheckpointStorageException($"The stored data plan is empty. {Fix}");
        }
        catch (JsonException ex)
        {
            throw new Checkpoints.CheckpointStorageException($"The stored data plan cannot be read ({ex.Message}). {Fix}", ex);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { TypeInfoResolver = JsonTypeInfoResolver.Combine(DataPlanJsonContext.Default, new DefaultJsonTypeInfoResolver()) };
}
