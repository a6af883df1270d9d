using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Api;

/// <summary>
/// The body of <c>GET /api/migrations</c>: the newest runs first, at most <see cref="Limit"/> of them, under
/// Durable's field names. Per-table progress, errors and the output are in <c>GET /api/migrations/{id}</c>.
/// </summary>
internal sealed record MigrationList(IReadOnlyList<MigrationSummary> Migrations, int Limit);

/// <summary>One run in <see cref="MigrationList"/>.</summary>
internal sealed record MigrationSummary(
    string InstanceId,
    MigrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    WorkflowProgress? CustomStatus)
{
    public static MigrationSummary Of(MigrationRun run) =>
        new(run.InstanceId, run.RuntimeStatus, run.CreatedTime, run.LastUpdatedTime, run.CustomStatus);
}
