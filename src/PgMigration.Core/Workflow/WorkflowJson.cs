using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgMigration.Core.Workflow;

/// <summary>
/// How workflow inputs and outputs cross a process boundary. The local host round-trips every value
/// through it too, so a record that would not survive Durable's serialization fails locally first.
/// </summary>
internal static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException($"Workflow JSON for {typeof(T).Name} was null.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = PrecompiledJson.Resolver };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
