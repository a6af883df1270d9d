namespace PgMigration.Core.Catalog;

/// <param name="Definition">pg_get_viewdef() text without the trailing semicolon.</param>
/// <param name="Options">reloptions (check_option, security_barrier, security_invoker ...).</param>
/// <param name="Populated">For materialized views: whether the source has data in it (REFRESH after loading).</param>
public sealed record ViewInfo(
    ObjectAddress Address,
    QualifiedName Name,
    bool Materialized,
    string Definition,
    IReadOnlyList<string> Options,
    string? AccessMethod,
    bool Populated,
    IReadOnlyList<ColumnComment> ColumnComments,
    string? Comment);

public sealed record ColumnComment(string Column, string Comment);
