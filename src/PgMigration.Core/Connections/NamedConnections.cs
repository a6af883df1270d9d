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
    private readonly Dictionary<string, ConnectionSpec> parsed = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>
    /// Connections a command line already parsed and signed in with, by <see cref="ConnectionSpec.Name"/>: a
    /// password from a file or typed on the terminal is in them and in no setting or string.
    /// </summary>
    public NamedConnections(IEnumerable<ConnectionSpec> specs)
        : this(new Dictionary<string, string>())
    {
        foreach (var spec in specs)
        {
            parsed[spec.Name] = spec;
        }
    }

    public IReadOnlyList<string> Names => [.. connections.Keys.Concat(parsed.Keys).Order(StringComparer.OrdinalIgnoreCase)];

    public bool Contains(string name) => connections.ContainsKey(name) || parsed.ContainsKey(name);

    /// <summary>The parsed connection; its errors name the setting, never its value.</summary>
    public ConnectionSpec Resolve(string name)
    {
        if (parsed.TryGetValue(name, out var spec))
        {
            // A copy: whoever resolves it may change its builder.
            return spec with { Builder = new(spec.Builder.ConnectionString) };
        }

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
