using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Tests.Copy;

/// <summary>What a copy moved: the plan and every chunk's final checkpoint.</summary>
internal sealed record CopyRunResult(DataPlan Plan, IReadOnlyList<ChunkCheckpoint> Chunks)
{
    public long Rows => Chunks.Sum(c => c.Rows);

    public long Bytes => Chunks.Sum(c => c.Bytes);
}

/// <summary>
/// The copy engine without the workflow around it, for tests of the engine itself: plans (or reuses the
/// stored plan) and copies every chunk with <see cref="TableCopier"/>, a few at a time.
/// </summary>
internal sealed class CopyRun(NpgsqlDataSource source, NpgsqlDataSource target, ICheckpointStore checkpoints, CopyRunOptions options)
{
    private readonly DataPlanner planner = new(source, checkpoints, new DataPlannerOptions { Planner = options.Planner, Tables = options.Tables });

    public async Task<DataPlan> LoadOrCreatePlanAsync(string sourceDisplay, CancellationToken cancellationToken = default)
    {
        if (await planner.LoadPlanAsync(sourceDisplay, cancellationToken) is { } stored)
        {
            return stored;
        }

        var fresh = await planner.CreatePlanAsync(sourceDisplay, cancellationToken);
        await planner.StorePlanAsync(fresh, cancellationToken);
        return fresh;
    }

    public async Task<CopyRunResult> CopyAsync(DataPlan plan, CancellationToken cancellationToken = default)
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
        await Parallel.ForEachAsync(
            plan.Chunks.Select((chunk, index) => (chunk, index)),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            async (item, ct) => results[item.index] = await copier.CopyChunkAsync(plan.TableOf(item.chunk), item.chunk, ct));

        if (options.DropLedgerWhenDone)
        {
            await CopyLedger.DropAsync(target, cancellationToken);
        }

        return new CopyRunResult(plan, results);
    }
}
