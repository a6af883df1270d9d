using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;

namespace PgMigration.Core.Copy;

/// <summary>What the data phase moved.</summary>
public sealed record DataCopyResult(DataPlan Plan, IReadOnlyList<ChunkCheckpoint> Chunks)
{
    public long Rows => Chunks.Sum(c => c.Rows);

    public long Bytes => Chunks.Sum(c => c.Bytes);
}

/// <summary>
/// Runs the data phase in one process: the plan (made once and stored, reused on every rerun), then
/// every chunk, biggest first, at most <see cref="DataCopyOptions.Parallelism"/> at a time.
/// </summary>
public sealed class DataCopyRunner(NpgsqlDataSource source, NpgsqlDataSource target, ICheckpointStore checkpoints, DataCopyOptions options)
{
    public async Task<DataPlan> LoadOrCreatePlanAsync(string sourceDisplay, CancellationToken cancellationToken = default)
    {
        if (await LoadPlanAsync(sourceDisplay, cancellationToken) is { } stored)
        {
            return stored;
        }

        var fresh = await CreatePlanAsync(sourceDisplay, cancellationToken);
        await StorePlanAsync(fresh, cancellationToken);
        return fresh;
    }

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

    public async Task<DataCopyResult> CopyAsync(DataPlan plan, CancellationToken cancellationToken = default)
    {
        await CopyLedger.EnsureAsync(target, cancellationToken);

        var copier = new TableCopier(source, target, checkpoints, new TableCopierOptions
        {
            BatchSize = options.BatchSize,
            PlanId = plan.Id,
            SnapshotId = options.SnapshotId,
            Retry = ResiliencePolicy.Create(options.Resilience, options.OnMessage),
            OnProgress = options.OnProgress,
        });

        var results = new ChunkCheckpoint[plan.Chunks.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            plan.Chunks.Select((chunk, index) => (chunk, index)),
            parallel,
            async (item, ct) => results[item.index] = await copier.CopyChunkAsync(plan.TableOf(item.chunk), item.chunk, ct));

        if (options.DropLedgerWhenDone)
        {
            // Every chunk is checkpointed as done: the ledger has served and must not reach the target's schema.
            await CopyLedger.DropAsync(target, cancellationToken);
        }

        return new DataCopyResult(plan, results);
    }
}
