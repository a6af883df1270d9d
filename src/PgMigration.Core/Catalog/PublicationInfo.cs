namespace PgMigration.Core.Catalog;

/// <summary>A logical replication publication (subscriptions carry connection strings and are not read).</summary>
/// <param name="Publish">The publish option, e.g. <c>insert, update, delete, truncate</c>.</param>
/// <param name="Schemas">FOR TABLES IN SCHEMA members (PostgreSQL 15+).</param>
public sealed record PublicationInfo(
    ObjectAddress Address,
    string Name,
    bool AllTables,
    string Publish,
    bool ViaRoot,
    IReadOnlyList<PublicationTable> Tables,
    IReadOnlyList<string> Schemas,
    string? Comment);

/// <param name="Columns">Column list (PostgreSQL 15+), empty for all columns.</param>
/// <param name="RowFilter">WHERE expression (PostgreSQL 15+).</param>
public sealed record PublicationTable(QualifiedName Table, IReadOnlyList<string> Columns, string? RowFilter);
