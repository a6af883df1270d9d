namespace PgMigration.Core.Api;

/// <summary>Per-table progress of a migration, read from its plan and checkpoints.</summary>
public interface IMigrationProgressReader
{
    /// <summary>Empty when the migration has no plan stored yet. Rates and ETAs need <paramref name="startedAt"/>.</summary>
    Task<IReadOnlyList<TableProgress>> ReadAsync(string id, DateTimeOffset? startedAt, CancellationToken cancellationToken = default);
}
