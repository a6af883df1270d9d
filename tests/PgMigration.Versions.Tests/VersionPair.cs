using System.Globalization;

namespace PgMigration.Versions.Tests;

/// <summary>A migration from a server of one PostgreSQL major to a server of another (or the same).</summary>
public sealed record VersionPair(int Source, int Target)
{
    public bool IsDowngrade => Source > Target;

    /// <summary>"15:18" as scripts/test.sh --versions writes it.</summary>
    public static VersionPair Parse(string text)
    {
        var parts = text.Split(':');
        return new VersionPair(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public override string ToString() => $"{Source}:{Target}";
}
