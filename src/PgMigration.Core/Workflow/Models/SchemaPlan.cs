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

    public const string DocumentId = "workflow-schema";
}
