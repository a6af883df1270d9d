using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgMigration.Core.Online;

/// <summary>How an online migration's documents (its start, cut over request and replication figures) are stored.</summary>
internal static class OnlineJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The stored {typeof(T).Name} is empty.");
}
