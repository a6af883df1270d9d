namespace PgMigration.Core.Catalog;

/// <summary>A function, window function or procedure (aggregates are <see cref="AggregateInfo"/>).</summary>
/// <param name="Definition">pg_get_functiondef() text.</param>
public sealed record RoutineInfo(ObjectAddress Address, QualifiedName Name, string IdentityArguments, RoutineKind Kind, string Definition, string? Comment)
{
    public string Signature => $"{Name.Sql}({IdentityArguments})";
}

/// <summary>An aggregate with the pieces CREATE AGGREGATE needs (pg_get_functiondef does not handle aggregates).</summary>
/// <param name="Arguments">pg_get_function_arguments(), ORDER BY form for ordered-set aggregates.</param>
/// <param name="Options">CREATE AGGREGATE options in order, value already in SQL form (e.g. ("SFUNC", "public.f")).</param>
public sealed record AggregateInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string Arguments,
    string IdentityArguments,
    IReadOnlyList<KeyValuePair<string, string>> Options,
    string? Comment)
{
    public string Signature => $"{Name.Sql}({IdentityArguments})";
}

/// <param name="Name">Schema and operator symbol.</param>
/// <param name="Left">Left argument type or null for a prefix operator.</param>
public sealed record OperatorInfo(
    ObjectAddress Address,
    QualifiedName Name,
    string? Left,
    string Right,
    string Function,
    string? Commutator,
    string? Negator,
    string? Restrict,
    string? Join,
    bool Hashes,
    bool Merges,
    string? Comment)
{
    public string Signature => $"OPERATOR({Name.Schema}.{Name.Name}) ({Left ?? "NONE"}, {Right})";
}

/// <param name="Function">regprocedure text of the cast function, null for WITHOUT FUNCTION / INOUT.</param>
public sealed record CastInfo(ObjectAddress Address, string Source, string Target, string? Function, CastMethod Method, CastContext Context, string? Comment);
