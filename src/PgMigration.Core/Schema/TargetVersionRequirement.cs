using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>Something the source uses that only targets of <paramref name="MinimumVersionNumber"/> and later can hold.</summary>
/// <param name="What">What it is and where, e.g. <c>virtual generated column v18.prices.gross</c>.</param>
public sealed record TargetVersionRequirement(int MinimumVersionNumber, string What)
{
    // Collations PostgreSQL 17 and 18 predefine with the builtin provider.
    private static readonly Dictionary<string, int> BuiltinCollations = new(StringComparer.Ordinal)
    {
        ["pg_catalog.pg_c_utf8"] = 170000,
        ["pg_catalog.pg_unicode_fast"] = 180000,
    };

    /// <summary>What of <paramref name="catalog"/> an older target would lose or reject, so that it is refused before anything is written.</summary>
    public static IReadOnlyList<TargetVersionRequirement> Of(DatabaseCatalog catalog)
    {
        var requirements = new List<TargetVersionRequirement>();
        requirements.AddRange(catalog.Collations.Where(c => c.Provider == CollationProvider.Builtin)
            .Select(c => new TargetVersionRequirement(170000, $"builtin collation provider (collation {c.Name})")));
        foreach (var t in catalog.Tables)
        {
            foreach (var c in t.Columns)
            {
                var column = $"{t.Name}.{SqlText.Identifier(c.Name)}";
                if (c.Collation is { } collation && BuiltinCollations.TryGetValue(collation, out var version))
                {
                    requirements.Add(new(version, $"collation {collation} (column {column})"));
                }

                if (c.IsVirtual)
                {
                    requirements.Add(new(180000, $"virtual generated column {column}"));
                }

                if (c.NotNullConstraint is { } notNull && (notNull.NoInherit || !notNull.Validated
                        || (c.IsLocal && !t.IsPartition && notNull.Name != NotNullConstraint.DefaultName(t.Name.Name, c.Name))))
                {
                    var kind = !notNull.Validated ? "NOT VALID NOT NULL" : notNull.NoInherit ? "NO INHERIT NOT NULL" : "named NOT NULL";
                    requirements.Add(new(180000, $"{kind} constraint {SqlText.Identifier(notNull.Name)} (column {column})"));
                }
            }
        }

        return requirements;
    }
}
