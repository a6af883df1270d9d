namespace PgMigration.Core.Catalog;

/// <param name="Options">OPTIONS entries as SQL (<c>host 'db1'</c>). Passwords live in user mappings, which are not read.</param>
public sealed record ForeignServerInfo(ObjectAddress Address, string Name, string Wrapper, string? Type, string? Version, IReadOnlyList<string> Options, string? Comment);

/// <param name="ColumnOptions">Per-column OPTIONS entries as SQL, by column name.</param>
public sealed record ForeignTableInfo(
    ObjectAddress Address,
    QualifiedName Name,
    IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ColumnOptions,
    string Server,
    IReadOnlyList<string> Options,
    string? Comment);
