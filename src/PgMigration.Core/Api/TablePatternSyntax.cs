namespace PgMigration.Core.Api;

/// <summary>
/// The shape of an include/exclude pattern, as the catalog filter reads it: <c>schema</c> or
/// <c>schema.table</c>, with <c>*</c> and <c>?</c> as wildcards (<c>sales</c>, <c>sales.order_*</c>);
/// a name containing a dot is written in double quotes (<c>"my.schema".orders</c>). Checked here, before
/// anything starts, so that a typo in the shape is a 400 and not a failed migration.
/// </summary>
public static class TablePatternSyntax
{
    public const string Example = "\"sales\", \"public.orders\" or \"public.order_*\"";

    /// <summary>Why the pattern is malformed, or null when it is fine.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return $"an empty pattern matches nothing. Write schema or schema.table, e.g. {Example}.";
        }

        if (pattern.Any(c => char.IsControl(c) || c is ';' or '\\'))
        {
            return $"'{Printable(pattern)}' contains a control character, ';' or '\\', which no pattern needs. Write schema or schema.table, e.g. {Example}.";
        }

        var parts = Catalog.CatalogFilter.SplitPattern(pattern);
        if (parts is null)
        {
            return $"'{pattern}' opens a double quote it never closes. Quote a whole name that contains a dot, e.g. \"my.schema\".orders.";
        }

        if (parts.Count > 2)
        {
            return $"'{pattern}' has more than one unquoted '.'. A pattern is schema or schema.table, e.g. {Example}; quote names that contain a dot.";
        }

        if (parts.Any(p => p.Trim().Length == 0))
        {
            return $"'{pattern}' has an empty schema or table part. Use '*' for any, e.g. \"*.audit_log\".";
        }

        return null;
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
