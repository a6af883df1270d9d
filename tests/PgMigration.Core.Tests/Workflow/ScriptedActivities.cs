using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;
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

    /// <summary>Post-data: group 0 keys and indexes, 1 and 2 foreign keys between copied tables, 3 a trigger.</summary>
    public static PlannedTable[] Tables { get; } =
    [
        new(0, new QualifiedName("public", "small"), 10, 1_000, 1) { IndexSteps = [0] },
        new(1, new QualifiedName("public", "orders"), 40_000, 9_000_000, 6) { IndexSteps = [1], ForeignKeys = [new(1, 0)] },
        new(2, new QualifiedName("sales", "events"), 90_000, 20_000_000, MigrationWorkflow.SubWorkflowChunkThreshold + 4) { IndexSteps = [2] },
        new(3, new QualifiedName("public", "empty"), 0, 0, 1),
        new(4, new QualifiedName("audit", "log"), 5_000, 700_000, 3) { ForeignKeys = [new(2, 2)] },
    ];

    /// <summary>
    /// What happened, in order: "copied T/C" when a chunk is in, "post G/S" when a post-data step starts
    /// and "applied G/S" when it is done, "analyzed T" when a table's statistics are in, "verified T" when a
    /// table is verified, "finished" when the engine's bookkeeping is removed.
    /// </summary>
    public List<string> Journal { get; } = [];

    /// <summary>A chunk (table, chunk) that does not finish until an entry is in the journal, or fails after 10 s.</summary>
    public (int Table, int Chunk, string Until)? Hold { get; init; }

    private readonly Dictionary<string, TaskCompletionSource> waiters = [];

    public int MaxConcurrentCopies { get; private set; }

    /// <summary>Tables whose verification finds a difference.</summary>
    public IReadOnlyList<QualifiedName> Different { get; init; } = [];

    private int copying;

    public async Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new PlanSummary($"{request.MigrationId}-plan", Tables, 1, [4, 1, 1, 1]) { IndexGroup = 0 };
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
            if (Hold is { } hold && hold.Table == work.TableIndex && hold.Chunk == work.ChunkIndex)
            {
                await WhenRecordedAsync(hold.Until).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            Record($"copied {work.TableIndex}/{work.ChunkIndex}");
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
        Record($"post {work.Stage}/{work.StepIndex}");
        await JitterAsync(cancellationToken);
        Record($"applied {work.Stage}/{work.StepIndex}");
        return new DdlApplied(1);
    }

    public async Task<SmallTablesCopied> CopySmallTablesAsync(SmallTablesWork work, CancellationToken cancellationToken = default)
    {
        var results = new List<SmallTableCopied>();
        foreach (var table in work.Tables)
        {
            var copied = await CopyChunkAsync(new ChunkWork(work.MigrationId, work.PlanId, work.Source, work.Target, table.TableIndex, table.Table, 0, work.BatchSize), cancellationToken);
            foreach (var step in table.IndexSteps)
            {
                await ApplyPostDataStepAsync(new DdlWork(work.MigrationId, work.PlanId, work.Target, work.IndexGroup, step), cancellationToken);
            }

            var verified = await VerifyTableAsync(new VerifyWork(work.MigrationId, work.PlanId, work.Source, work.Target, table.TableIndex, table.Table), cancellationToken);
            await AnalyzeTableAsync(new AnalyzeWork(work.MigrationId, work.PlanId, work.Target, table.TableIndex, table.Table), cancellationToken);
            results.Add(new SmallTableCopied(table.TableIndex, copied, verified));
        }

        return new SmallTablesCopied(results);
    }

    public async Task<DdlApplied> AnalyzeTableAsync(AnalyzeWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        Record($"analyzed {work.TableIndex}");
        return new DdlApplied(1);
    }

    public async Task<DdlApplied> FinishAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        Record("finished");
        return new DdlApplied(0);
    }

    // The scripted runs are offline migrations: the online activities are never scheduled.
    public Task<OnlineStarted> StartOnlineAsync(OnlineWork work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ChangesFollowed> FollowChangesAsync(OnlineWork work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CutoverReport> CutOverAsync(OnlineWork work, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        Record($"verified {work.TableIndex}");
        return Different.Contains(work.Table)
            ? new TableVerified(work.Table, false, 5, 4, "source has 5 rows, target 4")
            : new TableVerified(work.Table, true, 5, 5, "equal");
    }

    public async Task<ChunkCopied> CopyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        Record($"copied large objects {work.SetIndex}");
        return new ChunkCopied(10, 1000);
    }

    public async Task<TableVerified> VerifyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default)
    {
        await JitterAsync(cancellationToken);
        return new TableVerified(LargeObjectPlan.Table, true, 10, 10, "equal") { Kind = DataKind.LargeObjects };
    }

    private void Record(string entry)
    {
        lock (gate)
        {
            Journal.Add(entry);
            if (waiters.Remove(entry, out var waiter))
            {
                waiter.SetResult();
            }
        }
    }

    private Task WhenRecordedAsync(string entry)
    {
        lock (gate)
        {
            if (Journal.Contains(entry))
            {
                return Task.CompletedTask;
            }

            if (!waiters.TryGetValue(entry, out var waiter))
            {
                waiters[entry] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task;
        }
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
