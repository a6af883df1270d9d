using System.Text.Json.Serialization.Metadata;
using System.Text.Json;

namespace PgMigration.Core.Checkpoints;

internal static class CheckpointJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true, TypeInfoResolver = JsonTypeInfoResolver.Combine(CheckpointJsonContext.Default, new DefaultJsonTypeInfoResolver()) };

    public static string Serialize(ChunkCheckpoint checkpoint) => JsonSerializer.Serialize(checkpoint, Options);

    public static string Serialize(StreamedBatch streamed) => JsonSerializer.Serialize(streamed, Options);

    /// <summary>Null for a record that cannot be read: it only adds to a display, and the next write replaces it.</summary>
    public static StreamedBatch? DeserializeStreamed(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StreamedBatch>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ChunkCheckpoint Deserialize(string json, string where)
    {
        const string Fix = "Delete it: the chunk is then copied again from where the target's own record of it says, without duplicating a row.";
        try
        {
            return JsonSerializer.Deserialize<ChunkCheckpoint>(json, Options)
                ?? throw new CheckpointStorageException($"The checkpoint {where} is empty. {Fix}");
        }
        catch (JsonException ex)
        {
            throw new CheckpointStorageException($"The checkpoint {where} cannot be read ({ex.Message}). {Fix}", ex);
        }
    }

    /// <summary>Chunk and document ids become file and blob names: keep them to a safe alphabet.</summary>
    public static string SafeName(string id)
    {
        if (id.Length == 0 || id.Length > 200 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id.StartsWith('.'))
        {
            throw new ArgumentException($"'{id}' is not a valid checkpoint id: use letters, digits, '-', '_' and '.', at most 200.", nameof(id));
        }

        return id;
    }
}
