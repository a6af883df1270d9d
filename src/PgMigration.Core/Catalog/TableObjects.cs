namespace PgMigration.Core.Catalog;

/// <param name="Definition">pg_get_triggerdef() text.</param>
public sealed record TriggerInfo(ObjectAddress Address, QualifiedName Table, string Name, string Definition, FiringMode Enabled, string? Comment);

/// <param name="Definition">pg_get_ruledef() text, a complete CREATE RULE statement.</param>
public sealed record RuleInfo(ObjectAddress Address, QualifiedName Table, string Name, string Definition, FiringMode Enabled, string? Comment);

/// <param name="Roles">Roles as SQL (quoted names, or PUBLIC).</param>
public sealed record PolicyInfo(
    ObjectAddress Address,
    QualifiedName Table,
    string Name,
    bool Permissive,
    PolicyCommand Command,
    IReadOnlyList<string> Roles,
    string? Using,
    string? WithCheck,
    string? Comment);

/// <param name="Definition">pg_get_statisticsobjdef() text.</param>
public sealed record StatisticsInfo(ObjectAddress Address, QualifiedName Name, QualifiedName Table, string Definition, string? Comment);
