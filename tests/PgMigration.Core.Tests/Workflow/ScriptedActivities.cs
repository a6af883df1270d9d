using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>
/// Activities whose results follow from their inputs and whose durations vary at random, so that
/// completions arrive in a different order on every run: what the workflow must cope with.
/// </summary>
internal sealed class ScriptedActivities(int seed) : IMigrationActivities
{
    private readonly Random random = new(seed);
    private readonly object gate = new();

    public static PlannedTable[] Tables { get; } =
    [
        new(0, "public.small", 10, 1_000, 1) { IndexSteps = [0] },
        new(1, "public.orders", 40_000, 9_000_000, 6) { IndexSteps = [1] },
        new(2, "sales.events", 90_000, 20_000_000, MigrationWorkflow.SubWorkflowChunkThreshold + 4) { IndexSteps = [2] },
        new(3, "public.empty", 0, 0, 1),
        new(4, "audit.log", 5_000, 700_000, 3),
    ];

    public int MaxConcurrentCopies { get; private set; }

    private int copying;

    public async Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new PlanSummary($"{request.MigrationId}-plan", Tables, 1, [4, 2, 1]) { IndexGroup = 0 };
    }

    public async Task<DdlApplied> ApplyPreDataAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new DdlApplied(12);
    }

    public async Task<ChunkCopied> CopyChunkAsync(ChunkWork work, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            MaxConcurrentCopies = Math.Max(MaxConcurrentCopies, ++copying);
        }

        try
        {
            await JitterAsync(cancellationToken);
            return new ChunkCopied(100 + work.TableIndex * 10 + work.ChunkIndex, 1000 * (work.ChunkIndex + 1));
        }
        finally
        {
            lock (gate)
            {
                copying--;
            }
        }
    }

    public async Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new DdlApplied(1);
    }

    public async Task<DdlApplied> FinishAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new DdlApplied(0);
    }

    public async Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new TableVerified(work.Table, true, 5, 5, "equal");
    }

    private async Task JitterAsync(CancellationToken cancellationToken)
    {
        int delay;
        lock (gate)
        {
            delay = random.Next(0, 15);
        }

        await Task.Delay(delay, cancellationToken);
    }
}
