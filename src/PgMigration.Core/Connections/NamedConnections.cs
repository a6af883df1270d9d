using Microsoft.Extensions.Configuration;
using PgMigration.Core.Api;

namespace PgMigration.Core.Connections;

/// <summary>
/// The connections a host knows by name, from configuration <c>Connections:&lt;name&gt;</c>
/// (environment <c>Connections__&lt;name&gt;</c>): a libpq URL or Npgsql string, in Azure a Key Vault
/// reference resolved by the platform or an Entra spec (<c>...?auth=entra</c>).
/// </summary>
public sealed class NamedConnections
{
    private readonly Dictionary<string, string> connections;

    public NamedConnections(IConfiguration configuration)
        : this(configuration.GetSection(AppSettingNames.ConnectionsSection).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.OrdinalIgnoreCase))
    {
    }

    public NamedConnections(IReadOnlyDictionary<string, string> connections)
    {
        this.connections = new Dictionary<string, string>(connections, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Names => [.. connections.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool Contains(string name) => connections.ContainsKey(name);

    /// <summary>The parsed connection; its errors name the setting, never its value.</summary>
    public ConnectionSpec Resolve(string name)
    {
        if (!connections.TryGetValue(name, out var value))
        {
            throw new InvalidConnectionException(
                $"No connection is named '{name}'. Configured: {Describe(Names)}. Add the setting {AppSettingNames.ConnectionsSection}__{name}.");
        }

        try
        {
            return ConnectionSpec.Parse(name, value);
        }
        catch (InvalidConnectionException ex)
        {
            throw new InvalidConnectionException($"The setting {AppSettingNames.ConnectionsSection}__{name} is not a usable connection: {ex.Message}");
        }
    }

    private static string Describe(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
