namespace PgMigration.Core.Catalog;

/// <summary>
/// A pg_catalog column held a code <see cref="CatalogCodes"/> does not know. No retry helps; a pgmigrate that
/// knows the server's version does.
/// </summary>
/// <param name="Column">The catalog column, as <c>pg_trigger.tgenabled</c>.</param>
internal sealed class UnknownCatalogCodeException(string column, string code)
    : Exception($"The catalog column {column} holds {SqlText.Literal(code)}, a value this pgmigrate does not know: a PostgreSQL newer than {CatalogCodes.NewestKnownMajorVersion} may have added it. Use a pgmigrate release that supports the server's version.")
{
    public string Column { get; } = column;

    public string Code { get; } = code;

    /// <summary>What the user reads: which value, on which server, why pgmigrate stops, and what to do.</summary>
    public string Explain(ServerInfo server)
    {
        var (catalog, column) = (Column[..Column.IndexOf('.', StringComparison.Ordinal)], Column[(Column.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        var found = $"The source's catalog column {Column} holds {SqlText.Literal(Code)}, a value this pgmigrate does not know (find the object with SELECT * FROM {catalog} WHERE {column} = {SqlText.Literal(Code)}). ";
        return server.MajorVersion > CatalogCodes.NewestKnownMajorVersion
            ? found + $"The source runs PostgreSQL {server.Version}, newer than this pgmigrate knows (PostgreSQL 11 to {CatalogCodes.NewestKnownMajorVersion}), and the value is one a newer server added. " +
              $"Use a pgmigrate release that supports PostgreSQL {server.MajorVersion}; guessing what the value means could write a schema that differs from the source's."
            : found + $"PostgreSQL {server.Version} does not write that value: the source is a modified PostgreSQL or its catalog was changed by hand. " +
              "Fix or drop that object on the source, or report the value to pgmigrate's maintainers.";
    }
}
