using System.Collections.Frozen;
using System.Reflection;

namespace PgMigration.Core.Dashboard;

/// <summary>
/// The dashboard's page, script and stylesheet, embedded in this assembly (Dashboard/wwwroot) so that both
/// hosts serve the same files and the page needs nothing from outside the app.
/// </summary>
public static class DashboardAssets
{
    /// <summary>Where both hosts serve the page and its files; the page refers to them by these absolute paths.</summary>
    public const string Route = "/api/dashboard";

    public const string PageName = "index.html";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, DashboardAsset> Assets = Load();

    /// <summary>The file of that name (the page when the name is empty), or null when there is none.</summary>
    public static DashboardAsset? Find(string? name) =>
        Assets.GetValueOrDefault(string.IsNullOrEmpty(name) ? PageName : name);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        const string Prefix = "PgMigration.Core.Dashboard.wwwroot.";
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var content = new MemoryStream();
            stream.CopyTo(content);
            assets[name] = new DashboardAsset(name, ContentTypes[Path.GetExtension(name)], content.ToArray());
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>One embedded file of the dashboard.</summary>
public sealed record DashboardAsset(string Name, string ContentType, byte[] Content);
