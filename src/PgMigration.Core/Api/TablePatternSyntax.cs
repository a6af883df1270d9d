using PgMigration.Core.Catalog;

namespace PgMigration.Core.Api;

/// <summary>
/// The shape of an include/exclude pattern, exactly as <see cref="CatalogFilter"/> reads it: <c>schema</c>
/// or <c>schema.table</c> with <c>*</c> and <c>?</c>, names with dots in double quotes. Checked before
/// anything starts, so that a typo in the shape is a 400 and not a failed migration.
/// </summary>
internal static class TablePatternSyntax
{
    /// <summary>Why the pattern is malformed, or null when it is fine.</summary>
    public static string? Problem(string field, string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return $"{field} has an empty pattern, which matches nothing. Write schema or schema.table, e.g. \"sales\" or \"sales.order_*\".";
        }

        if (pattern.Any(char.IsControl))
        {
            return $"{field} has a pattern with a control character. Write schema or schema.table, e.g. \"sales\" or \"sales.order_*\".";
        }

        return CatalogFilter.ShapeProblem(pattern, field);
    }
}
