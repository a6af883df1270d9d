using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// The DDL of one migration, stored in its checkpoint store and read back by the DDL activities.
/// <see cref="PostDataGroups"/> run in order; the steps inside one group do not depend on each other.
/// </summary>
public sealed record SchemaPlan(
    IReadOnlyList<SchemaStep> PreData,
    IReadOnlyList<IReadOnlyList<SchemaStep>> PostDataGroups,
    IReadOnlyList<string> Extensions)
{
    /// <summary>Leave objects the target already has as they are (the command line's --skip-existing).</summary>
    public bool SkipExisting { get; init; }

    /// <summary>
    /// Tables whose autovacuum is off from their creation until the migration finishes. Autovacuum otherwise
    /// starts on a table while it is still being loaded (the insert threshold of a new table is 1000 rows),
    /// competes with the copy, and holds a lock that makes the table's ANALYZE, keys and indexes wait a full
    /// deadlock_timeout before it is cancelled. Tables whose source sets autovacuum_enabled keep their setting.
    /// </summary>
    public IReadOnlyList<QualifiedName> PausedAutovacuum { get; init; } = [];

    /// <summary>What the source uses that older targets lack; the target preflight refuses those.</summary>
    public IReadOnlyList<TargetVersionRequirement> TargetVersionRequirements { get; init; } = [];

    /// <summary>Roles the steps name (policies' roles, and owners and grantees with owners and grants): roles are not migrated, so the target must have them.</summary>
    public IReadOnlyList<string> RequiredRoles { get; init; } = [];

    /// <summary>What the source has that this migration leaves out, and why, in words for the user.</summary>
    public IReadOnlyList<string> LeftOut { get; init; } = [];

    public const string DocumentId = "workflow-schema";
}
