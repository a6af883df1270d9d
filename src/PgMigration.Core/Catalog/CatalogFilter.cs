using System.Text;
using System.Text.RegularExpressions;

namespace PgMigration.Core.Catalog;

/// <summary>
/// --include / --exclude glob patterns (<c>*</c>, <c>?</c>) on <c>schema</c> or <c>schema.table</c>; a name
/// with a dot in it is written in double quotes (<c>"my.schema".orders</c>). A schema pattern selects every
/// object in the schema; a table pattern selects relations (tables, views, sequences) and what belongs to them.
/// </summary>
public sealed class CatalogFilter
{
    private readonly IReadOnlyList<FilterPattern> includes;
    private readonly IReadOnlyList<FilterPattern> excludes;

    private CatalogFilter(IReadOnlyList<FilterPattern> includes, IReadOnlyList<FilterPattern> excludes)
    {
        this.includes = includes;
        this.excludes = excludes;
    }

    public static CatalogFilter None { get; } = new([], []);

    public bool IsEmpty => includes.Count == 0 && excludes.Count == 0;

    /// <summary>
    /// The filter of these patterns before they are checked against a catalog (<see cref="Create"/> does
    /// that): it selects exactly what the checked one does, for work that starts before the catalog is read.
    /// </summary>
    public static CatalogFilter FromPatterns(IEnumerable<string>? include, IEnumerable<string>? exclude) =>
        new([.. (include ?? []).Select(p => FilterPattern.Parse(p, "--include"))], [.. (exclude ?? []).Select(p => FilterPattern.Parse(p, "--exclude"))]);

    /// <summary>Parses the patterns and checks each one against the catalog: a pattern that matches nothing is a typo, not a no-op.</summary>
    public static CatalogFilter Create(IEnumerable<string>? include, IEnumerable<string>? exclude, DatabaseCatalog catalog)
    {
        var filter = FromPatterns(include, exclude);
        var schemas = catalog.Schemas.Select(s => s.Name).ToList();
        var relations = catalog.Tables.Select(t => t.Name)
            .Concat(catalog.Views.Select(v => v.Name))
            .Concat(catalog.Sequences.Where(s => !s.IsIdentity).Select(s => s.Name))
            .ToList();
        var problems = new List<string>();
        foreach (var pattern in filter.includes.Concat(filter.excludes))
        {
            if (!schemas.Any(pattern.Schema.IsMatch))
            {
                problems.Add($"{pattern.Option} '{pattern.Text}': no schema in the source matches '{pattern.SchemaText}'. Schemas in the source: {string.Join(", ", schemas)}.");
            }
            else if (pattern.Relation is not null && !relations.Any(pattern.Matches))
            {
                problems.Add($"{pattern.Option} '{pattern.Text}': no table, view or sequence in the source matches it.");
            }
        }

        if (problems.Count > 0)
        {
            // Each problem quotes its pattern: a long list of patterns that match nothing is named by its first few.
            const int Shown = 20;
            var more = problems.Count > Shown ? $"{Environment.NewLine}... and {problems.Count - Shown} more patterns that match nothing." : string.Empty;
            throw new FilterException(string.Join(Environment.NewLine, problems.Take(Shown)) + more);
        }

        return filter;
    }

    /// <summary>
    /// Splits a pattern at its unquoted dots, undoing the double quotes (<c>""</c> stands for one quote).
    /// Null when a double quote is left open.
    /// </summary>
    public static IReadOnlyList<string>? SplitPattern(string pattern)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '"')
            {
                if (quoted && i + 1 < pattern.Length && pattern[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return quoted ? null : parts;
    }

    public bool IncludesSchema(string schema) =>
        (includes.Count == 0 || includes.Any(p => p.Schema.IsMatch(schema)))
        && !excludes.Any(p => p.Relation is null && p.Schema.IsMatch(schema));

    /// <summary>Why <paramref name="pattern"/> is not a pattern, or null: the shape alone, before any catalog is read.</summary>
    public static string? ShapeProblem(string pattern, string option)
    {
        try
        {
            FilterPattern.Parse(pattern, option);
            return null;
        }
        catch (FilterException ex)
        {
            return ex.Message;
        }
    }

    public bool IncludesRelation(QualifiedName relation) =>
        (includes.Count == 0 || includes.Any(p => p.Matches(relation)))
        && !excludes.Any(p => p.Matches(relation));

    private sealed record FilterPattern(string Text, string Option, string SchemaText, Regex Schema, Regex? Relation)
    {
        public bool Matches(QualifiedName name) => Schema.IsMatch(name.Schema) && (Relation?.IsMatch(name.Name) ?? true);

        public static FilterPattern Parse(string text, string option)
        {
            var parts = SplitPattern(text) ?? throw new FilterException($"{option} '{text}' has an unclosed double quote.");
            if (parts.Count is 0 or > 2 || parts.Any(p => p.Length == 0))
            {
                throw new FilterException($"{option} '{text}' is not a pattern. Write schema or schema.table, with * and ? as wildcards (e.g. sales or sales.order_*).");
            }

            return new FilterPattern(text, option, parts[0], Glob(parts[0]), parts.Count == 2 ? Glob(parts[1]) : null);
        }

        private static Regex Glob(string glob) =>
            new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
    }
}

/// <summary>An include/exclude pattern that is malformed or matches nothing.</summary>
public sealed class FilterException(string message) : Exception(message);
