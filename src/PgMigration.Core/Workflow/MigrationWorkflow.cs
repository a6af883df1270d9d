using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The migration, written once for both hosts: plan, pre-data, data fan-out (biggest tables first,
/// throttled here to the requested parallelism, one sub-workflow per table with many chunks),
/// post-data stages, verify. Replay rules: no clock, random, GUID, I/O or threads of its own; all of
/// that comes from <see cref="IWorkflowContext"/> and the activities.
/// </summary>
public static class MigrationWorkflow
{
    /// <summary>Tables with more chunks than this get their own sub-workflow, which bounds every history.</summary>
    public const int SubWorkflowChunkThreshold = 16;

    public static async Task<MigrationOutcome> RunAsync(IWorkflowContext context, MigrationInput input)
    {
        context.SetCustomStatus(new WorkflowProgress(Phases.Planning, 0, 1));
        var plan = await CallAsync<PlanSummary>(
            context,
            WorkflowNames.Plan,
            new PlanRequest(input.Id, input.Source, input.Target, input.Mode, input.Include, input.Exclude, input.BatchSize, input.ChunkMegabytes, input.SkipExisting),
            "Planning (reading the source catalog)");

        if (input.Mode != MigrationMode.Data && plan.PreDataSteps > 0)
        {
            context.SetCustomStatus(new WorkflowProgress(Phases.PreData, 0, 1));
            await CallAsync<DdlApplied>(context, WorkflowNames.ApplyPreData, new DdlWork(input.Id, plan.PlanId, input.Target, 0, 0), "Creating the schema on the target (pre-data)");
        }

        var copied = new ChunkCopied(0, 0);
        if (input.Mode != MigrationMode.Schema)
        {
            copied = await CopyDataAsync(context, input, plan);
        }

        await ApplyPostDataAsync(context, input, plan);
        context.SetCustomStatus(new WorkflowProgress(Phases.Finishing, 0, 1));
        await CallAsync<DdlApplied>(context, WorkflowNames.Finish, new DdlWork(input.Id, plan.PlanId, input.Target, 0, 0), "Finishing (ANALYZE, removing the engine's bookkeeping from the target)");

        IReadOnlyList<TableVerified> verified = [];
        if (input.Mode != MigrationMode.Schema)
        {
            verified = await VerifyAsync(context, input, plan);
        }

        context.SetCustomStatus(new WorkflowProgress(Phases.Completed, plan.Tables.Count, plan.Tables.Count));
        return new MigrationOutcome(plan.PlanId, plan.Tables.Count, copied.Rows, copied.Bytes, verified.Count) { Verified = verified };
    }

    internal static async Task<ChunkCopied> CopyChunkAsync(IWorkflowContext context, ChunkWork work) =>
        await CallAsync<ChunkCopied>(
            context,
            WorkflowNames.CopyChunk,
            work,
            $"Copying chunk {work.ChunkIndex + 1} of table {work.Table}");

    private static async Task<ChunkCopied> CopyDataAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan)
    {
        // Biggest first: the longest copies start at once and the small ones fill the gaps at the end.
        var units = new List<CopyUnit>();
        foreach (var table in plan.Tables.Where(t => t.Chunks > 0).OrderByDescending(t => t.EstimatedBytes).ThenBy(t => t.Index))
        {
            if (table.Chunks > SubWorkflowChunkThreshold)
            {
                units.Add(new CopyUnit(table, -1, Math.Min(input.Parallelism, table.Chunks)));
            }
            else
            {
                units.AddRange(Enumerable.Range(0, table.Chunks).Select(chunk => new CopyUnit(table, chunk, 1)));
            }
        }

        var total = plan.Tables.Sum(t => t.Chunks);
        var done = 0;
        context.SetCustomStatus(new WorkflowProgress(Phases.Data, 0, total));
        var results = await ThrottledFanOut.RunAsync(
            units,
            input.Parallelism,
            unit => unit.Slots,
            unit => unit.Chunk < 0
                ? context.CallSubWorkflowAsync<ChunkCopied>(
                    WorkflowNames.TableCopy,
                    new TableCopyWork(input.Id, plan.PlanId, input.Source, input.Target, unit.Table, input.BatchSize, unit.Slots),
                    $"{context.InstanceId}:table-{unit.Table.Index}")
                : CopyChunkAsync(context, new ChunkWork(input.Id, plan.PlanId, input.Source, input.Target, unit.Table.Index, unit.Table.Name, unit.Chunk, input.BatchSize)),
            (unit, _) =>
            {
                done += unit.Chunk < 0 ? unit.Table.Chunks : 1;
                context.SetCustomStatus(new WorkflowProgress(Phases.Data, done, total));
            });
        return new ChunkCopied(results.Sum(r => r.Rows), results.Sum(r => r.Bytes));
    }

    private static async Task ApplyPostDataAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan)
    {
        // Groups run in order (keys and indexes, then foreign keys, triggers, security, refreshes and
        // sequence values); the steps of one group do not depend on each other and run in parallel.
        var total = plan.PostDataStageSteps.Sum();
        var done = 0;
        for (var stage = 0; stage < plan.PostDataStageSteps.Count; stage++)
        {
            var stageIndex = stage;
            context.SetCustomStatus(new WorkflowProgress(Phases.PostData, done, total));
            await ThrottledFanOut.RunAsync(
                Enumerable.Range(0, plan.PostDataStageSteps[stage]).ToList(),
                input.Parallelism,
                _ => 1,
                step => CallAsync<DdlApplied>(
                    context,
                    WorkflowNames.ApplyPostDataStep,
                    new DdlWork(input.Id, plan.PlanId, input.Target, stageIndex, step),
                    $"Post-data stage {stageIndex + 1}, step {step + 1}"),
                (_, _) => context.SetCustomStatus(new WorkflowProgress(Phases.PostData, ++done, total)));
        }
    }

    private static async Task<IReadOnlyList<TableVerified>> VerifyAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan)
    {
        var done = 0;
        context.SetCustomStatus(new WorkflowProgress(Phases.Verify, 0, plan.Tables.Count));
        var results = await ThrottledFanOut.RunAsync(
            plan.Tables.OrderByDescending(t => t.EstimatedBytes).ThenBy(t => t.Index).ToList(),
            input.Parallelism,
            _ => 1,
            table => CallAsync<TableVerified>(
                context,
                WorkflowNames.VerifyTable,
                new VerifyWork(input.Id, plan.PlanId, input.Source, input.Target, table.Index, table.Name),
                $"Verifying table {table.Name}"),
            (_, _) => context.SetCustomStatus(new WorkflowProgress(Phases.Verify, ++done, plan.Tables.Count)));

        var different = results.Where(r => !r.Equal).ToList();
        if (different.Count > 0)
        {
            throw new MigrationFailedException(
                $"Verification found {different.Count} table(s) that differ between source and target: " +
                string.Join("; ", different.Select(d => $"{d.Table}: {d.Detail}")) +
                ". Start the migration again with the same id to recopy, or inspect those tables.");
        }

        return results;
    }

    private static async Task<T> CallAsync<T>(IWorkflowContext context, string activity, object input, string what)
    {
        try
        {
            return await context.CallActivityAsync<T>(activity, input, WorkflowRetryPolicy.Database);
        }
        catch (WorkflowActivityFailedException ex)
        {
            throw new MigrationFailedException(
                $"{what} failed: {ex.FailureMessage.TrimEnd()}{Environment.NewLine}" +
                "Fix the cause and start the migration again with the same id: finished batches are kept and it resumes from its checkpoints.",
                ex);
        }
    }

    private sealed record CopyUnit(PlannedTable Table, int Chunk, int Slots);

    /// <summary>The phase names the custom status reports.</summary>
    public static class Phases
    {
        public const string Planning = "planning";
        public const string PreData = "pre-data";
        public const string Data = "data";
        public const string PostData = "post-data";
        public const string Finishing = "finishing";
        public const string Verify = "verify";
        public const string Completed = "completed";
    }
}
