namespace PgMigration.Core.Api;

/// <summary>
/// The shape of an include/exclude pattern: <c>table</c> or <c>schema.table</c>, where either part may
/// use the wildcards <c>*</c> and <c>?</c> (<c>sales.*</c>, <c>*.audit_log</c>). Names are matched as
/// stored in the catalog, so no quoting is needed or accepted.
/// </summary>
public static class TablePatternSyntax
{
    public const string Example = "\"public.orders\", \"sales.*\" or \"*.audit_?\"";

    /// <summary>Why the pattern is malformed, or null when it is fine.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return $"an empty pattern matches nothing. Write {Example}.";
        }

        if (pattern.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '\'' or ';' or '\\'))
        {
            return $"'{pattern}' contains whitespace, quotes, ';' or '\\', which no pattern needs. Write names as the catalog stores them, e.g. {Example}.";
        }

        var parts = pattern.Split('.');
        if (parts.Length > 2)
        {
            return $"'{pattern}' has more than one '.'. A pattern is table or schema.table, e.g. {Example}.";
        }

        if (parts.Any(p => p.Length == 0))
        {
            return $"'{pattern}' has an empty schema or table part around its '.'. Use '*' for any, e.g. {Example}.";
        }

        return null;
    }
}
