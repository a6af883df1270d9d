using Npgsql;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>
/// Makes a migration's data plan (its tables in chunks, and its large objects) from the source, and keeps it
/// with the checkpoints: made once, stored, and read back by every rerun.
/// </summary>
internal sealed class DataPlanner(NpgsqlDataSource source, ICheckpointStore checkpoints, DataPlannerOptions options)
{
    /// <summary>The plan stored with the checkpoints, or null when there is none yet.</summary>
    public async Task<DataPlan?> LoadPlanAsync(string sourceDisplay, CancellationToken cancellationToken = default)
    {
        if (await checkpoints.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken) is not { } stored)
        {
            return null;
        }

        var plan = DataPlan.FromJson(stored);
        if (plan.Source != sourceDisplay)
        {
            throw new CheckpointMismatchException(
                $"The checkpoints at {checkpoints.Location} belong to a migration from {plan.Source}, not {sourceDisplay}. " +
                "Use another --checkpoints location for a different migration, or delete it to start over.");
        }

        return plan;
    }

    /// <summary>A new plan of the source's tables, not yet stored.</summary>
    public async Task<DataPlan> CreatePlanAsync(string sourceDisplay, CancellationToken cancellationToken = default)
    {
        var tables = await TableLayoutReader.ReadAsync(source, options.Tables, cancellationToken);
        var plan = await ChunkPlanner.PlanAsync(source, tables, sourceDisplay, options.Planner, cancellationToken);
        return options.LargeObjects
            ? plan with { LargeObjects = await LargeObjectPlan.ReadAsync(source, options.LargeObjectOwnersAndGrants, cancellationToken) }
            : plan;
    }

    public Task StorePlanAsync(DataPlan plan, CancellationToken cancellationToken = default) =>
        checkpoints.WriteDocumentAsync(DataPlan.DocumentId, plan.ToJson(), cancellationToken);
}
