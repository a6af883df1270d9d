using DurableTask.AzureStorage;

namespace PgMigration.Functions.Tests.Hosting;

/// <summary>
/// The test engine's gRPC sidecar hands DurableTask.Core a Protobuf map as an event's tags; the Azure
/// Storage backend stores messages with their .NET type names and cannot load that type back. This binder
/// records such a map under the name of the dictionary it is. The Functions host has its own sidecar and
/// needs none of this.
/// </summary>
internal sealed class ProtobufTagsBinder : ICustomTypeBinder
{
    public void BindToName(Type serializedType, out string assemblyName, out string typeName)
    {
        var type = serializedType.FullName?.StartsWith("Google.Protobuf.Collections.MapField`2", StringComparison.Ordinal) == true
            ? typeof(Dictionary<,>).MakeGenericType(serializedType.GetGenericArguments())
            : serializedType;
        assemblyName = type.Assembly.FullName!;
        typeName = type.FullName!;
    }

    public Type BindToType(string assemblyName, string typeName) =>
        Type.GetType($"{typeName}, {assemblyName}", throwOnError: true)!;
}
