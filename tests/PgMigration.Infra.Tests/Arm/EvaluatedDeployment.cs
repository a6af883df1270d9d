namespace PgMigration.Infra.Tests.Arm;

/// <summary>Everything a template deploys for one set of parameters, modules included.</summary>
public sealed record EvaluatedDeployment(IReadOnlyList<DeployedResource> Resources, IReadOnlyDictionary<string, object?> Outputs)
{
    public IEnumerable<DeployedResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The evaluated app settings of every function/web app, keyed by app.</summary>
    public IReadOnlyList<(string App, IReadOnlyDictionary<string, object?> Settings)> AppSettings()
    {
        var settings = new List<(string, IReadOnlyDictionary<string, object?>)>();
        foreach (var config in OfType("Microsoft.Web/sites/config").Where(r => r.Name.EndsWith("/appsettings", StringComparison.OrdinalIgnoreCase)))
        {
            settings.Add((config.Name[..config.Name.IndexOf('/', StringComparison.Ordinal)], config.Properties));
        }

        foreach (var site in OfType("Microsoft.Web/sites"))
        {
            if (site.Property("siteConfig") is IReadOnlyDictionary<string, object?> siteConfig
                && siteConfig.TryGetValue("appSettings", out var list) && list is IEnumerable<object?> pairs)
            {
                var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var pair in pairs.OfType<IReadOnlyDictionary<string, object?>>())
                {
                    map[Convert.ToString(pair["name"], System.Globalization.CultureInfo.InvariantCulture)!] = pair.TryGetValue("value", out var v) ? v : null;
                }

                settings.Add((site.Name, map));
            }
        }

        return settings;
    }
}
