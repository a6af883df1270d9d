using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgMigration.Core.Api;

/// <summary>The one JSON shape of the API: camelCase, enums as their names.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        // Enum names as they are: runtimeStatus says "Running", "Completed" exactly as Durable does.
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
