using PgMigration.Core.Copy;
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

    // Copying, keying, verifying and analyzing a table of a few kilobytes takes milliseconds, while each of those
    // activities costs a round trip of its own (in Azure a queue message, and a replay of the ever longer history):
    // below this size a table's work is done in one activity together with others like it.
    internal const long SmallTableBytes = 1024 * 1024;

    // A batch is one activity's work, done table by table: at most this many tables (its input and output stay a
    // few kilobytes, far below what Durable carries inline) and bytes (it ends well inside any activity timeout;
    // each table commits on its own, so a crash redoes one table at most).
    internal const int MaxTablesPerBatch = 64;
    internal const long MaxBytesPerBatch = 16 * SmallTableBytes;

    public static async Task<MigrationOutcome> RunAsync(IWorkflowContext context, MigrationInput input)
    {
        context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Planning, 0, 1));
        var plan = await CallAsync<PlanSummary>(
            context,
            WorkflowNames.Plan,
            new PlanRequest(input.Id, input.Source, input.Target, input.Mode, input.Include, input.Exclude, input.BatchSize, input.ChunkMegabytes, input.SkipExisting, input.OwnersAndGrants, input.Online, input.Parallelism),
            "Planning");

        if (input.Mode != MigrationMode.Data && plan.PreDataSteps > 0)
        {
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.PreData, 0, 1));
            await CallAsync<DdlApplied>(context, WorkflowNames.ApplyPreData, new DdlWork(input.Id, plan.PlanId, input.Target, 0, 0), "Creating the schema on the target (pre-data)");
        }

        // Objects the target rejects in post-data; everything that does not need them is still finished.
        var failures = new List<string>();
        var copied = new ChunkCopied(0, 0);
        var online = new OnlineWork(input.Id, plan.PlanId, input.Source, input.Target, input.Parallelism, input.FollowActivitySeconds);
        if (input.Online)
        {
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.OnlineStart, 0, 1));
            await CallAsync<OnlineStarted>(context, WorkflowNames.StartOnline, online, "Creating the publication and replication slot on the source");
        }

        var verifiedEarly = new List<TableVerified>();
        if (input.Mode != MigrationMode.Schema)
        {
            copied = await CopyDataAsync(context, input, plan, failures, verifiedEarly);
        }

        await ApplyPostDataAsync(context, input, plan, failures);
        CutoverReport? cutover = null;
        if (input.Online)
        {
            // Changes are applied once the target's keys exist (every update and delete looks one up) and its
            // foreign keys and triggers are in place (the apply runs as a replica, so they do not act twice).
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Follow, 0, 0));
            await context.CallSubWorkflowAsync<ChangesFollowed>(WorkflowNames.Follow, online, $"{context.InstanceId}:follow");
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Cutover, 0, 1));
            cutover = await CallAsync<CutoverReport>(context, WorkflowNames.CutOver, online, "Cutting over");
        }

        context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Finishing, 0, 1));
        await CallAsync<DdlApplied>(context, WorkflowNames.Finish, new DdlWork(input.Id, plan.PlanId, input.Target, 0, 0), "Finishing (removing the engine's bookkeeping from the target)");

        // An online migration was verified during its cut over, while the source could not change under the comparison.
        IReadOnlyList<TableVerified> verified = cutover?.Verified ?? [];
        if (input.Mode != MigrationMode.Schema && cutover is null)
        {
            try
            {
                verified = await VerifyAsync(context, input, plan, verifiedEarly);
            }
            catch (MigrationFailedException ex) when (failures.Count > 0)
            {
                failures.Add(ex.Message);
            }
        }

        if (failures.Count > 0)
        {
            throw new MigrationFailedException(
                $"The migration finished everything else, but {failures.Count} object(s) failed; create them on the target by hand with the SQL shown, once their cause is fixed:\n" +
                string.Join("\n", failures));
        }

        context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Completed, plan.Tables.Count, plan.Tables.Count));
        return new MigrationOutcome(plan.PlanId, plan.Tables.Count, copied.Rows, copied.Bytes, verified.Count) { Verified = verified, Cutover = cutover };
    }

    internal static async Task<ChunkCopied> CopyChunkAsync(IWorkflowContext context, ChunkWork work) =>
        await CallAsync<ChunkCopied>(
            context,
            WorkflowNames.CopyChunk,
            work,
            $"Copying chunk {work.ChunkIndex + 1} of table {work.Table}");

    private static async Task<ChunkCopied> CopyDataAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, List<string> failures, List<TableVerified> verified)
    {
        // Biggest first: the longest copies start at once and the small ones fill the gaps at the end.
        // When a table's last chunk is in, its keys and indexes are built while other tables still copy,
        // and then its foreign keys to (and from) tables that are keyed already. Its ANALYZE comes after
        // its indexes (so expression indexes get statistics) and waits behind all other work: nothing
        // depends on it, and it must not keep a chunk from starting. The costliest ANALYZE goes first.
        // Its verification starts as soon as its last chunk is in, beside its index builds (see KeyIndexFirst: a key
        // is built under a lock that lets readers in): the source side was hashed as the rows streamed, so it reads
        // only the target, while the other tables copy, instead of both servers after the copy. A table of less than
        // SmallTableBytes has all of that done at once, in a batch of such tables that one activity works through.
        var units = new List<DataPhaseUnit>();
        var keyedTables = new KeyedTables(plan.Tables);
        var chunksLeft = new Dictionary<int, int>();
        var small = new List<PlannedTable>();
        foreach (var table in plan.Tables.Where(t => t.Chunks > 0).OrderByDescending(t => t.EstimatedBytes).ThenBy(t => t.Index))
        {
            if (table is { Chunks: 1, EstimatedBytes: < SmallTableBytes })
            {
                small.Add(table);
                continue;
            }

            chunksLeft[table.Index] = table.Chunks;
            if (table.Chunks > SubWorkflowChunkThreshold)
            {
                units.Add(new WholeTableCopy(table, Math.Min(input.Parallelism, table.Chunks)));
            }
            else
            {
                units.AddRange(Enumerable.Range(0, table.Chunks).Select(chunk => new ChunkCopy(table, chunk)));
            }
        }

        // The tiny tables come last in that order anyway.
        units.AddRange(SmallTableBatches(small, input.Parallelism));

        // Large objects after the tables: nothing waits for them, and their sizes are not known beforehand.
        units.AddRange(plan.LargeObjects.Select(set => new LargeObjectCopy(set)));

        // Tables without rows to copy get their indexes (or foreign keys) at once.
        var empty = plan.Tables.Where(t => t.Chunks == 0).ToList();
        units.InsertRange(0, empty.SelectMany(t => IndexUnits(t, plan.IndexGroup)).Concat(empty.SelectMany(t => FollowUps(keyedTables.Copied(t)))).ToList());
        var total = plan.Tables.Sum(t => t.Chunks) + plan.LargeObjects.Count;
        var done = 0;
        var running = new List<RunningWork>();
        void ShowProgress() => context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Data, done, total) { Running = [.. running.Take(WorkflowProgress.MaxRunningShown)] });
        ShowProgress();
        var results = await ThrottledFanOut.RunAsync(
            units,
            input.Parallelism,
            unit => unit.Slots,
            unit =>
            {
                if (WorkOf(unit, plan) is { } work)
                {
                    running.Add(work);
                    ShowProgress();
                }

                return StartAsync(unit);
            },
            (unit, _) =>
            {
                if (WorkOf(unit, plan) is { } work)
                {
                    running.Remove(work);
                    ShowProgress();
                }

                switch (unit)
                {
                    case Statistics or Verification:
                        return [];
                    case PostDataStep step when step.Group == plan.IndexGroup:
                        return FollowUps(keyedTables.IndexBuilt(step.Table));
                    case PostDataStep:
                        return ForeignKeyUnits(keyedTables.ForeignKeyAdded());
                    case LargeObjectCopy:
                        done++;
                        ShowProgress();
                        return [];
                    case SmallTablesCopy batch:
                        // Its tables are keyed, verified and analyzed already: only their foreign keys are left.
                        done += batch.Tables.Count;
                        ShowProgress();
                        return KeyedInBatch(keyedTables, batch);
                }

                var table = ((TableUnit)unit).Table;
                var copiedChunks = unit is WholeTableCopy ? table.Chunks : 1;
                done += copiedChunks;
                ShowProgress();
                chunksLeft[table.Index] -= copiedChunks;
                return chunksLeft[table.Index] == 0
                    ? [.. IndexUnits(table, plan.IndexGroup), new Verification(table, Math.Clamp(table.Chunks, 1, input.Parallelism)), .. FollowUps(keyedTables.Copied(table))]
                    : [];
            },
            unit => unit is Statistics statistics ? AnalyzeCost(statistics.Table) : null);
        return new ChunkCopied(results.Sum(r => r.Rows), results.Sum(r => r.Bytes));

        Task<ChunkCopied> StartAsync(DataPhaseUnit unit) => unit switch
        {
            Statistics statistics => AnalyzeAsync(context, input, plan, statistics.Table),
            Verification verification => VerifyDuringDataAsync(context, input, plan, verification, verified),
            PostDataStep step => ApplyPostDataStepAsync(context, input, plan, step.Group, step.Step, failures),
            SmallTablesCopy batch => CopySmallTablesAsync(context, input, plan, batch, failures, verified),
            WholeTableCopy whole => context.CallSubWorkflowAsync<ChunkCopied>(
                WorkflowNames.TableCopy,
                new TableCopyWork(input.Id, plan.PlanId, input.Source, input.Target, whole.Table, input.BatchSize, unit.Slots),
                $"{context.InstanceId}:table-{whole.Table.Index}"),
            ChunkCopy chunk => CopyChunkAsync(context, new ChunkWork(input.Id, plan.PlanId, input.Source, input.Target, chunk.Table.Index, chunk.Table.Name, chunk.Chunk, input.BatchSize)),
            LargeObjectCopy largeObjects => CallAsync<ChunkCopied>(
                context,
                WorkflowNames.CopyLargeObjects,
                new LargeObjectWork(input.Id, plan.PlanId, input.Source, input.Target, largeObjects.Set.Index, largeObjects.Set.Id),
                $"Copying large objects {largeObjects.Set.Id}"),
            _ => throw new InvalidOperationException($"No way to run {unit}."),
        };
    }

    /// <summary>
    /// What the custom status lists while <paramref name="unit"/> runs; null for copies, which the tables' progress shows,
    /// and for batches of tiny tables, which are copies mostly: their other steps take milliseconds each.
    /// </summary>
    private static RunningWork? WorkOf(DataPhaseUnit unit, PlanSummary plan) => unit switch
    {
        Statistics statistics => new RunningWork(WorkKind.Analyze, statistics.Table.Name),
        Verification verification => new RunningWork(WorkKind.Verify, verification.Table.Name),
        PostDataStep step when step.Group == plan.IndexGroup =>
            new RunningWork(WorkKind.Index, step.Table.Name, step.Table.IndexNames.ElementAtOrDefault(step.Table.IndexSteps.ToList().IndexOf(step.Step))),
        PostDataStep step => new RunningWork(WorkKind.ForeignKey, step.Table.Name, step.Table.ForeignKeys.FirstOrDefault(k => k.Group == step.Group)?.Name),
        _ => null,
    };

    // ANALYZE reads a sample of about 30 000 rows (300 x the default statistics target) and works
    // through every column of it: its cost follows the bytes of that sample, not the table's size.
    private static long AnalyzeCost(PlannedTable table) =>
        table.EstimatedRows > 0 ? table.EstimatedBytes * Math.Min(table.EstimatedRows, 30_000) / table.EstimatedRows : table.EstimatedBytes;

    // A table without rows of its own to copy (a partitioned table) needs no ANALYZE: its partitions get theirs;
    // it is verified with the tables the data phase did not verify, after it.
    private static IEnumerable<DataPhaseUnit> FollowUps(KeyedProgress progress) =>
        progress.Keyed is { Chunks: > 0 } table
            ? [.. ForeignKeyUnits(progress.ForeignKeys), new Statistics(table)]
            : ForeignKeyUnits(progress.ForeignKeys);

    // What KeyedTables learns, in order, from a table's chunk and then each of its index steps (built or failed).
    private static List<DataPhaseUnit> KeyedInBatch(KeyedTables keyedTables, SmallTablesCopy batch)
    {
        var foreignKeys = new List<DataPhaseUnit>();
        foreach (var table in batch.Tables)
        {
            foreignKeys.AddRange(ForeignKeyUnits(keyedTables.Copied(table).ForeignKeys));
            foreach (var _ in table.IndexSteps)
            {
                foreignKeys.AddRange(ForeignKeyUnits(keyedTables.IndexBuilt(table).ForeignKeys));
            }
        }

        return foreignKeys;
    }

    private static IEnumerable<DataPhaseUnit> IndexUnits(PlannedTable table, int indexGroup) =>
        table.IndexSteps.Select(step => new PostDataStep(table, indexGroup, step));

    private static IEnumerable<DataPhaseUnit> ForeignKeyUnits(IEnumerable<(PlannedTable Owner, PlannedForeignKey Key)> keys) =>
        keys.Select(k => new PostDataStep(k.Owner, k.Key.Group, 0));

    // Deterministic (the tables in the order given), and in no fewer batches than the parallelism allows, so that a
    // handful of tiny tables still copies side by side.
    private static IEnumerable<DataPhaseUnit> SmallTableBatches(List<PlannedTable> tables, int parallelism)
    {
        var perBatch = Math.Clamp((tables.Count + parallelism - 1) / Math.Max(1, parallelism), 1, MaxTablesPerBatch);
        var batch = new List<PlannedTable>();
        var bytes = 0L;
        foreach (var table in tables)
        {
            if (batch.Count > 0 && (batch.Count == perBatch || bytes + table.EstimatedBytes > MaxBytesPerBatch))
            {
                yield return new SmallTablesCopy(batch);
                batch = [];
                bytes = 0;
            }

            batch.Add(table);
            bytes += table.EstimatedBytes;
        }

        if (batch.Count > 0)
        {
            yield return new SmallTablesCopy(batch);
        }
    }

    private static async Task<ChunkCopied> CopySmallTablesAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, SmallTablesCopy batch, List<string> failures, List<TableVerified> verified)
    {
        var copied = await CallAsync<SmallTablesCopied>(
            context,
            WorkflowNames.CopySmallTables,
            new SmallTablesWork(input.Id, plan.PlanId, input.Source, input.Target, input.BatchSize, plan.IndexGroup, [.. batch.Tables.Select(t => new SmallTable(t.Index, t.Name, t.IndexSteps))]),
            batch.Tables.Count == 1 ? $"Copying table {batch.Tables[0].Name}" : $"Copying the {batch.Tables.Count} small tables {batch.Tables[0].Name} to {batch.Tables[^1].Name}");
        foreach (var table in copied.Tables)
        {
            failures.AddRange(table.Failures);
            verified.Add(table.Verified);
        }

        return new ChunkCopied(copied.Tables.Sum(t => t.Copied.Rows), copied.Tables.Sum(t => t.Copied.Bytes));
    }

    private static async Task<ChunkCopied> ApplyPostDataStepAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, int group, int step, List<string> failures)
    {
        var applied = await CallAsync<DdlApplied>(
            context,
            WorkflowNames.ApplyPostDataStep,
            new DdlWork(input.Id, plan.PlanId, input.Target, group, step, input.Source),
            $"Post-data group {group + 1}, step {step + 1}");
        if (applied.Failure is { } failure)
        {
            failures.Add(failure);
        }

        return new ChunkCopied(0, 0);
    }

    private static async Task<ChunkCopied> AnalyzeAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, PlannedTable table)
    {
        await CallAsync<DdlApplied>(
            context,
            WorkflowNames.AnalyzeTable,
            new AnalyzeWork(input.Id, plan.PlanId, input.Target, table.Index, table.Name),
            $"Gathering the statistics of table {table.Name} (ANALYZE)");
        return new ChunkCopied(0, 0);
    }

    private static async Task ApplyPostDataAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, List<string> failures)
    {
        // Groups run in order (keys and indexes, then foreign keys, triggers, security, refreshes and
        // sequence values); the steps of one group do not depend on each other and run in parallel.
        // Index steps and foreign keys of copied tables were already applied during the data phase.
        var copiedTables = input.Mode == MigrationMode.Schema ? [] : plan.Tables;
        var early = copiedTables.SelectMany(t => t.IndexSteps).ToHashSet();
        var earlyForeignKeys = copiedTables.SelectMany(t => t.ForeignKeys).Select(k => k.Group).ToHashSet();
        var groups = plan.PostDataStageSteps
            .Select((count, group) => earlyForeignKeys.Contains(group)
                ? []
                : Enumerable.Range(0, count).Where(step => group != plan.IndexGroup || !early.Contains(step)).ToList())
            .ToList();
        var total = groups.Sum(g => g.Count);
        var done = 0;
        for (var group = 0; group < groups.Count; group++)
        {
            var groupIndex = group;
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.PostData, done, total));
            await ThrottledFanOut.RunAsync(
                groups[group],
                input.Parallelism,
                _ => 1,
                step => ApplyPostDataStepAsync(context, input, plan, groupIndex, step, failures),
                (_, _) =>
                {
                    context.SetCustomStatus(new WorkflowProgress(MigrationPhase.PostData, ++done, total));
                    return [];
                });
        }
    }

    private static Task<TableVerified> VerifyTableAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, PlannedTable table, int parallelism) =>
        CallAsync<TableVerified>(
            context,
            WorkflowNames.VerifyTable,
            new VerifyWork(input.Id, plan.PlanId, input.Source, input.Target, table.Index, table.Name) { Parallelism = parallelism },
            $"Verifying table {table.Name}");

    private static async Task<ChunkCopied> VerifyDuringDataAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, Verification unit, List<TableVerified> verified)
    {
        verified.Add(await VerifyTableAsync(context, input, plan, unit.Table, unit.Readers));
        return new ChunkCopied(0, 0);
    }

    private static async Task<IReadOnlyList<TableVerified>> VerifyAsync(IWorkflowContext context, MigrationInput input, PlanSummary plan, List<TableVerified> verifiedEarly)
    {
        // The tables the data phase did not verify, then the sets of large objects. Bytes hashed are counted
        // by table size: each table's rows are read and hashed whole.
        var early = verifiedEarly.Select(v => v.Table).ToHashSet();
        var units = plan.Tables.Where(t => !early.Contains(t.Name)).OrderByDescending(t => t.EstimatedBytes).ThenBy(t => t.Index)
            .Select(table => new VerifyUnit(new RunningWork(WorkKind.Verify, table.Name), table.EstimatedBytes, () => VerifyTableAsync(context, input, plan, table, 1)))
            .Concat(plan.LargeObjects.Select(set => new VerifyUnit(new RunningWork(WorkKind.VerifyLargeObjects, LargeObjectPlan.Table, set.Id), 0, () => CallAsync<TableVerified>(
                context,
                WorkflowNames.VerifyLargeObjects,
                new LargeObjectWork(input.Id, plan.PlanId, input.Source, input.Target, set.Index, set.Id),
                $"Verifying large objects {set.Id}"))))
            .ToList();
        var done = verifiedEarly.Count;
        var total = units.Count + done;
        var bytesDone = plan.Tables.Where(t => early.Contains(t.Name)).Sum(t => t.EstimatedBytes);
        var bytesTotal = plan.Tables.Sum(t => t.EstimatedBytes);
        var running = new List<RunningWork>();
        void ShowProgress() => context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Verify, done, total)
        {
            Running = [.. running.Take(WorkflowProgress.MaxRunningShown)],
            BytesDone = bytesDone,
            BytesTotal = bytesTotal,
        });
        ShowProgress();
        var verified = await ThrottledFanOut.RunAsync(
            units,
            input.Parallelism,
            _ => 1,
            unit =>
            {
                running.Add(unit.Work);
                ShowProgress();
                return unit.Start();
            },
            (unit, _) =>
            {
                running.Remove(unit.Work);
                done++;
                bytesDone += unit.Bytes;
                ShowProgress();
                return [];
            });
        verified.AddRange(verifiedEarly);

        // The report has a line per table: the sets of large objects make one, naming the sets that differ.
        var largeObjects = verified.Where(r => r.Kind == DataKind.LargeObjects).ToList();
        var results = verified.Where(r => r.Kind == DataKind.Table).ToList();
        if (largeObjects.Count > 0)
        {
            var differ = largeObjects.Where(s => !s.Equal).Select(s => s.Detail).ToList();
            results.Add(new TableVerified(
                LargeObjectPlan.Table,
                differ.Count == 0,
                largeObjects.Sum(s => s.SourceRows),
                largeObjects.Sum(s => s.TargetRows),
                differ.Count == 0 ? "object counts and content checksums equal" : string.Join("; ", differ)) { Kind = DataKind.LargeObjects });
        }

        var different = results.Where(r => !r.Equal).OrderBy(r => r.Table.Sql, StringComparer.Ordinal).ToList();
        if (different.Count > 0)
        {
            throw new VerificationMismatchException([.. different.Select(d => $"{d.Table}: {d.Detail}")]);
        }

        return [.. results.OrderBy(r => r.Table.Sql, StringComparer.Ordinal)];
    }

    private static async Task<T> CallAsync<T>(IWorkflowContext context, string activity, object input, string what)
    {
        try
        {
            return await context.CallActivityAsync<T>(activity, input, WorkflowRetryPolicy.Database);
        }
        catch (WorkflowActivityFailedException ex)
        {
            // What to do next depends on where the failure is shown (a command line, a status): its host says it.
            throw new MigrationFailedException($"{what} failed: {BoundedText.Message(ex.FailureMessage.TrimEnd())}", ex);
        }
    }

    /// <summary>A unit of the data phase's fan-out, taking <see cref="Slots"/> of the parallelism.</summary>
    private abstract record DataPhaseUnit(int Slots);

    /// <summary>A unit of work on <see cref="Table"/>.</summary>
    private abstract record TableUnit(PlannedTable Table, int Slots) : DataPhaseUnit(Slots);

    /// <summary>One chunk of a table, copied by an activity.</summary>
    private sealed record ChunkCopy(PlannedTable Table, int Chunk) : TableUnit(Table, 1);

    /// <summary>Every chunk of a table with many, copied by a sub-workflow with <see cref="DataPhaseUnit.Slots"/> chunks at a time.</summary>
    private sealed record WholeTableCopy(PlannedTable Table, int Slots) : TableUnit(Table, Slots);

    /// <summary>A post-data step of a copied table: one of its keys or indexes, or a foreign key of it.</summary>
    private sealed record PostDataStep(PlannedTable Table, int Group, int Step) : TableUnit(Table, 1);

    /// <summary>
    /// The verification of a copied table, once its last chunk is in, with <see cref="Readers"/> readers side by side.
    /// It takes one slot all the same: a unit wider than the free slots would hold back every unit queued behind it
    /// until the running ones drain, and the readers of a big table mostly run when little else is left to copy.
    /// </summary>
    private sealed record Verification(PlannedTable Table, int Readers) : TableUnit(Table, 1);

    /// <summary>One verification of the verify phase: a table's, or a set of large objects'.</summary>
    private sealed record VerifyUnit(RunningWork Work, long Bytes, Func<Task<TableVerified>> Start);

    /// <summary>The ANALYZE of a copied table, once it is keyed and indexed.</summary>
    private sealed record Statistics(PlannedTable Table) : TableUnit(Table, 1);

    /// <summary>Tiny tables of one chunk each, copied, keyed and indexed, verified and analyzed by one activity.</summary>
    private sealed record SmallTablesCopy(IReadOnlyList<PlannedTable> Tables) : DataPhaseUnit(1);

    /// <summary>One set of large objects, copied by an activity.</summary>
    private sealed record LargeObjectCopy(PlannedLargeObjectSet Set) : DataPhaseUnit(1);
}
