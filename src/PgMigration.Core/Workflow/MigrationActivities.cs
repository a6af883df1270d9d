using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Online;
using PgMigration.Core.Schema;
using PgMigration.Core.Verification;
using PgMigration.Core.Workflow.Models;
using Polly;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The activities over the engine. The plan and the DDL are written to the migration's checkpoint store
/// once and read back by id, so the workflow only carries small records, and a rerun of any activity
/// (Durable runs them at least once) finds its own earlier work: pre-data batches and
/// post-data steps commit with a ledger row, copied batches with a checkpoint.
/// </summary>
internal sealed class MigrationActivities(MigrationEnvironment environment, ILogger logger) : IMigrationActivities
{
    private const string PreDataDocument = "pre-data";
    private const string FinishedDocument = "finished";
    private const string PreDataBatchSizeDocument = "pre-data-batch-steps";

    private readonly ConcurrentDictionary<(string MigrationId, string Document), object> documents = new();
    private readonly OnlineActivities online = new(environment, logger);

    public async Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(request.MigrationId);
        var source = environment.DataSource(request.Source);
        var target = environment.DataSource(request.Target);
        var sourceSpec = environment.Connections.Resolve(request.Source);
        var targetSpec = environment.Connections.Resolve(request.Target);

        // Planning reads the source and checks the target: each failure names the side it came from.
        await ConnectionProbe.CheckAsync(source, sourceSpec with { Name = "source" }, cancellationToken);
        await ConnectionProbe.CheckAsync(target, targetSpec with { Name = "target" }, cancellationToken);
        await DatabaseIdentity.RefuseSameDatabaseAsync(source, sourceSpec, target, targetSpec, cancellationToken);
        var options = PlanOptions.Of(request);
        await OnServerAsync("target", targetSpec, () => RestoreLostPlansAsync(store, target, targetSpec.Display, options, cancellationToken));
        await options.RefuseIfChangedAsync(store, "start a new migration (another id; on the command line, other --checkpoints)", cancellationToken);

        var schema = await SchemaPlanBuilder.ReadAsync(store, cancellationToken);
        var data = request.Mode == MigrationMode.Schema ? null : await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken);
        CatalogFilter? filter = null;
        SchemaPlan? newSchema = null;
        if (schema is null || (request.Mode != MigrationMode.Schema && data is null))
        {
            var catalog = await OnServerAsync("source", sourceSpec, () => new CatalogReader(source, new CatalogReadOptions { OwnersAndGrants = request.OwnersAndGrants }).ReadAsync(cancellationToken));
            filter = CatalogFilter.Create(request.Include, request.Exclude, catalog);
            if (schema is null)
            {
                newSchema = SchemaPlanBuilder.Build(catalog, filter, SchemaScriptBuilder.Build(catalog, filter), request.Mode, request.SkipExisting);
                newSchema = await OnServerAsync("target", targetSpec, () => TargetPreflight.CheckAsync(target, targetSpec.Display, newSchema, cancellationToken));
            }
        }

        DataPlan? plan = null;
        DataPlan? newPlan = null;
        var runner = new DataPlanner(source, store, DataPlannerOptions.ForPlanning(filter ?? CatalogFilter.FromPatterns([], []), request.ChunkMegabytes, request.Parallelism, request.OwnersAndGrants));
        if (request.Mode != MigrationMode.Schema)
        {
            plan = await runner.LoadPlanAsync(sourceSpec.Display, cancellationToken);
            if (plan is null)
            {
                plan = newPlan = await OnServerAsync("source", sourceSpec, () => runner.CreatePlanAsync(sourceSpec.Display, cancellationToken));
                if (request.Mode == MigrationMode.Data)
                {
                    await OnServerAsync("target", targetSpec, () => TargetPreflight.RefuseForDataAsync(target, targetSpec.Display, newPlan, cancellationToken));
                }

                await OnServerAsync("target", targetSpec, () => TargetPreflight.RefuseUnknownLargeObjectsAsync(target, targetSpec.Display, store, newPlan, cancellationToken));
            }

            if (request.Mode == MigrationMode.Data)
            {
                await OnServerAsync("target", targetSpec, () => TargetPreflight.RefuseUnknownRowsAsync(target, targetSpec.Display, store, plan, cancellationToken));
            }
        }

        if (request.Online && newPlan is not null)
        {
            if (newPlan.LargeObjects is { } largeObjects)
            {
                throw new MigrationRefusedException(
                    $"The source {sourceSpec.Display} has {largeObjects.Sets.Sum(s => s.Objects)} large object(s), and logical replication does not carry their changes: " +
                    "an online migration would leave the target's copies as they were at its start. Migrate without online (stopping writes to them), " +
                    "or exclude the large objects with a filter (--include/--exclude leave them out). Nothing was written.");
            }

            await OnServerAsync("source", sourceSpec, () => OnlineSourceCheck.RefuseAsync(
                source, sourceSpec.Display, ReplicationNames.Slot(request.MigrationId, sourceSpec.Builder.Database ?? string.Empty), newPlan.Tables, cancellationToken));
        }

        // A new migration is written only now, once the target has passed every check.
        if (newSchema is not null)
        {
            await options.StoreAsync(store, cancellationToken);
            schema = await SchemaPlanBuilder.StoreOnceAsync(store, () => newSchema, cancellationToken);
        }

        if (newPlan is not null)
        {
            await runner.StorePlanAsync(newPlan, cancellationToken);
        }

        if (plan is not null)
        {
            // Before any copy of this run starts, what is committed came from earlier runs. (A duplicate of this
            // activity delivered late would count some of this run's rows as resumed: a display, not the copy, would be off.)
            await ResumedWork.RecordAsync(store, cancellationToken);
        }

        // The post-data ledger (and the keyless chunks') lives on the target until the migration finishes.
        await OnServerAsync("target", targetSpec, async () =>
        {
            await CopyLedger.EnsureAsync(target, cancellationToken);
            await CopyLedger.KeepDocumentsAsync(target, await PlanDocumentsAsync(store, cancellationToken), cancellationToken);
        });
        var indexGroup = schema!.PostDataGroups.Count > 0 && schema.PostDataGroups[0].All(s => s.Stage == SchemaStage.KeysAndIndexes) ? 0 : -1;
        var summary = new PlanSummary(request.MigrationId, [], schema.PreData.Count, [.. schema.PostDataGroups.Select(g => g.Count)]) { IndexGroup = indexGroup };
        if (plan is null)
        {
            return summary;
        }

        // Foreign keys between copied tables (a partitioned table is copied as its leaves, so keys on or to
        // one are left for the post-data phase, after its index attachments).
        var positions = plan.Tables.Select((table, index) => (table.Id, index)).ToDictionary(t => t.Id, t => t.index);
        var chunks = plan.ChunksByTable();
        var indexSteps = indexGroup < 0
            ? Enumerable.Empty<int>().ToLookup(_ => new QualifiedName(string.Empty, string.Empty))
            : schema.PostDataGroups[indexGroup].Select((step, i) => (step, i)).Where(s => s.step.Table is not null).ToLookup(s => s.step.Table!, s => s.i);
        var foreignKeys = schema.PostDataGroups
            .Select((group, index) => (group, index))
            .Where(g => g.group is [{ Kind: SchemaObjectKind.ForeignKey, Table: { } owner, References: { } referenced }] && positions.ContainsKey(owner) && positions.ContainsKey(referenced))
            .ToLookup(g => positions[g.group[0].Table!], g => new PlannedForeignKey(g.index, positions[g.group[0].References!]) { Name = g.group[0].Name });
        var tables = plan.Tables.Select((table, index) => new PlannedTable(
            index,
            table.Id,
            Math.Max(0, table.EstimatedRows),
            table.EstimatedBytes,
            chunks[table.Id].Count())
        {
            IndexSteps = [.. indexSteps[table.Id]],
            IndexNames = [.. indexSteps[table.Id].Select(i => schema.PostDataGroups[indexGroup][i].Name)],
            ForeignKeys = [.. foreignKeys[index]],
        }).ToList();
        return summary with
        {
            PlanId = plan.Id,
            Tables = tables,
            LargeObjects = [.. (plan.LargeObjects?.Sets ?? []).Select((set, index) => new PlannedLargeObjectSet(index, set.Id, set.Objects))],
        };
    }

    private static readonly string[] PlanDocumentIds = [PlanOptions.DocumentId, SchemaPlan.DocumentId, DataPlan.DocumentId];

    private static async Task<Dictionary<string, string>> PlanDocumentsAsync(ICheckpointStore store, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in PlanDocumentIds)
        {
            if (await store.ReadDocumentAsync(id, cancellationToken) is { } content)
            {
                documents[id] = content;
            }
        }

        return documents;
    }

    // Checkpoints lost (a deleted folder, a container recreated empty) while the target still holds this
    // migration's unfinished work: its plans come back from the copy kept there, and the target's ledger
    // says which batches and DDL are done, so nothing is created or copied twice.
    private static async Task RestoreLostPlansAsync(ICheckpointStore store, NpgsqlDataSource target, string targetDisplay, PlanOptions options, CancellationToken cancellationToken)
    {
        if (await PlanOptions.ReadAsync(store, cancellationToken) is not null)
        {
            return;
        }

        var kept = await CopyLedger.KeptDocumentsAsync(target, cancellationToken);
        if (!kept.TryGetValue(PlanOptions.DocumentId, out var keptOptions))
        {
            return;
        }

        if (options.DifferencesFrom(WorkflowJson.Deserialize<PlanOptions>(keptOptions)) is { Count: > 0 } differences)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} holds an unfinished migration whose checkpoints are not here, started with other options: {string.Join("; ", differences)}. " +
                $"Run it with those options to resume it from the target, or start afresh in an empty database (or drop the objects it created and its schema {TableLayoutReader.EngineSchema}). Nothing was written.");
        }

        foreach (var (id, content) in kept)
        {
            await store.WriteDocumentAsync(id, content, cancellationToken);
        }
    }

    public async Task<DdlApplied> ApplyPreDataAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var schema = await SchemaPlanOfAsync(work.MigrationId, store, cancellationToken);
        var applied = await ApplyPreDataOnceAsync(work, store, schema, cancellationToken);

        // Tables left as they were (--skip-existing) may hold rows the copy would duplicate.
        if (schema.SkipExisting && await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken) is { } json)
        {
            await TargetPreflight.RefuseUnknownRowsAsync(environment.DataSource(work.Target), environment.Connections.Resolve(work.Target).Display, store, DataPlan.FromJson(json), cancellationToken);
        }

        return applied;
    }

    private async Task<DdlApplied> ApplyPreDataOnceAsync(DdlWork work, ICheckpointStore store, SchemaPlan schema, CancellationToken cancellationToken)
    {
        if (await store.ReadDocumentAsync(PreDataDocument, cancellationToken) == "applied")
        {
            return new DdlApplied(0);
        }

        var target = environment.DataSource(work.Target);
        var targetDisplay = environment.Connections.Resolve(work.Target).Display;
        var steps = WithAutovacuumPaused(schema);
        var report = await new TargetInspector(target).InspectAsync(new SchemaScript(steps, []), schema.Extensions, cancellationToken);
        if (report.MissingExtensions.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} cannot install the extension(s) {string.Join(", ", report.MissingExtensions)}. Install their packages on the target server first.");
        }

        await CopyLedger.EnsureAsync(target, cancellationToken);
        var runner = new PreDataRunner(target, new PreDataOptions
        {
            PlanId = work.PlanId,
            Retry = ResiliencePolicy.Create(onRetry: message => logger.LogWarning("pre-data: {Message}", message)),
            OnBatchApplied = environment.Options.OnPreDataBatchApplied,
        });
        var batches = PreDataBatch.Split(steps, await StepsPerTransactionAsync(store, target, cancellationToken));
        var applied = await runner.AppliedBatchesAsync(cancellationToken);
        var pending = batches.Where(b => !applied.Contains(b.Number)).ToList();

        // What committed batches created is ours; only what the pending ones would create can be in the way.
        var pendingSteps = pending.SelectMany(b => b.Steps).ToHashSet();
        var conflicts = report with { Conflicts = [.. report.Conflicts.Where(pendingSteps.Contains)] };
        if (conflicts.Conflicts.Count > 0 && schema.SkipExisting)
        {
            // Objects the target has stay as they are, and so does everything of a table it already has.
            pending = [.. pending.Select(b => b with { Steps = conflicts.WithoutExisting(b.Steps) })];
            logger.LogInformation("Skipping {Count} pre-data step(s) for objects the target already has", pendingSteps.Count - pending.Sum(b => b.Steps.Count));
        }
        else if (conflicts.Conflicts.Count > 0)
        {
            throw TargetPreflight.ObjectsExist(targetDisplay, conflicts);
        }

        var stepsApplied = await runner.ApplyAsync(pending, batches.Count, cancellationToken);
        await store.WriteDocumentAsync(PreDataDocument, "applied", cancellationToken);
        return new DdlApplied(stepsApplied);
    }

    // In the same step as its table's creation, so in the same transaction: no table is ever loaded with autovacuum on.
    private static List<SchemaStep> WithAutovacuumPaused(SchemaPlan schema)
    {
        var paused = schema.PausedAutovacuum.ToHashSet();
        return [.. schema.PreData.Select(step =>
        {
            if (step.Kind != SchemaObjectKind.Table || step.Table is not { } table || !paused.Remove(table))
            {
                return step;
            }

            var pause = $"ALTER TABLE {table.Sql} SET (autovacuum_enabled = false)";
            return step with { Sql = $"{step.Sql}\n{pause};", Statements = [.. step.Statements, pause] };
        })];
    }

    // Chosen once, from the target's lock table, and kept: a rerun must cut the same batches as the run it resumes.
    private static async Task<int> StepsPerTransactionAsync(ICheckpointStore store, NpgsqlDataSource target, CancellationToken cancellationToken)
    {
        if (await store.ReadDocumentAsync(PreDataBatchSizeDocument, cancellationToken) is { } stored)
        {
            return int.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
        }

        var size = await LockBudget.StepsPerTransactionAsync(target, cancellationToken);
        await store.WriteDocumentAsync(PreDataBatchSizeDocument, size.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return size;
    }

    public Task<ChunkCopied> CopyChunkAsync(ChunkWork work, CancellationToken cancellationToken = default) =>
        CopyChunkAsync(work, inSmallTablesBatch: false, cancellationToken);

    private async Task<ChunkCopied> CopyChunkAsync(ChunkWork work, bool inSmallTablesBatch, CancellationToken cancellationToken)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await DataPlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (table, chunks) = TableOf(plan, work.TableIndex, work.Table);
        if (work.ChunkIndex >= chunks.Count)
        {
            throw new MigrationRefusedException($"Table {work.Table} has {chunks.Count} chunks in plan {plan.Id}, not {work.ChunkIndex + 1}; the stored plan was changed under a running migration.");
        }

        var schema = await SchemaPlanOfAsync(work.MigrationId, store, cancellationToken);
        var copier = new TableCopier(environment.DataSource(work.Source), environment.DataSource(work.Target), store, new TableCopierOptions
        {
            BatchSize = work.BatchSize,
            PlanId = plan.Id,
            SnapshotId = environment.Options.SourceSnapshotId ?? await OnlineSnapshotAsync(work, chunks[work.ChunkIndex], store, cancellationToken),
            OnProgress = ReportProgress(work.MigrationId),
            Retry = RetryFor(work.Table.Sql),
            IsNewTable = layout => CreatesTable(schema, layout),
            LedgerReady = inSmallTablesBatch,
            CheckpointsStart = !inSmallTablesBatch,
            ReportStreamed = environment.Options.ReportStreamedProgress,
            StreamedPublishInterval = environment.Options.StreamedPublishInterval,
            OnStreamedPublishFailed = ex => logger.StreamedProgressNotPublished(work.Table.Sql, ex.Message),
        });
        return await CopiedAsync(copier.CopyChunkAsync(table, chunks[work.ChunkIndex], cancellationToken));
    }

    // Each table goes through the very activities a bigger table gets one by one, so a rerun of the batch finds
    // what the last run committed (the chunk's checkpoint, the steps' ledger rows) and does only the rest.
    public async Task<SmallTablesCopied> CopySmallTablesAsync(SmallTablesWork work, CancellationToken cancellationToken = default)
    {
        var copies = new List<(ChunkCopied Copied, List<string> Failures)>(work.Tables.Count);
        // Once for the batch: each table's copy and steps would otherwise ask the target about it, three round trips a table.
        await RetryFor("the copy ledger").ExecuteAsync(ct => new ValueTask(CopyLedger.EnsureAsync(environment.DataSource(work.Target), ct)), cancellationToken);
        foreach (var table in work.Tables)
        {
            var copied = await CopyChunkAsync(new ChunkWork(work.MigrationId, work.PlanId, work.Source, work.Target, table.TableIndex, table.Table, 0, work.BatchSize), inSmallTablesBatch: true, cancellationToken);
            copies.Add((copied, await ApplyIndexStepsAsync(work, table, cancellationToken)));
        }

        // Once all the batch's tables are in, keyed and indexed: one verification query and one ANALYZE for all of
        // them, instead of a statement, a transaction, a pool checkout and a retry pipeline each per table (the
        // server still analyzes each table in a transaction of its own).
        var verified = await VerifySmallTablesAsync(work, cancellationToken);
        await AnalyzeAsync(work.MigrationId, work.PlanId, work.Target, [.. work.Tables.Select(t => (t.TableIndex, t.Table))], $"ANALYZE of {work.Tables.Count} small tables", cancellationToken);
        return new SmallTablesCopied([.. work.Tables.Select((table, i) => new SmallTableCopied(table.TableIndex, copies[i].Copied, verified[i]) { Failures = copies[i].Failures })]);
    }

    // A small table's keys and indexes go in one transaction; when the target rejects one of them, each goes on its
    // own, so that the rest are built and the one at fault is reported with its SQL.
    private async Task<List<string>> ApplyIndexStepsAsync(SmallTablesWork work, SmallTable table, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        if (table.IndexSteps.Count > 1 && await TryApplyPostDataStepsTogetherAsync(work, table, cancellationToken))
        {
            return failures;
        }

        foreach (var step in table.IndexSteps)
        {
            var applied = await ApplyPostDataStepAsync(new DdlWork(work.MigrationId, work.PlanId, work.Target, work.IndexGroup, step, work.Source), ledgerReady: true, cancellationToken);
            if (applied.Failure is { } failure)
            {
                failures.Add(failure);
            }
        }

        return failures;
    }

    // No index progress is watched: a small table's indexes are built in milliseconds.
    private async Task<bool> TryApplyPostDataStepsTogetherAsync(SmallTablesWork work, SmallTable table, CancellationToken cancellationToken)
    {
        if (await PostDataPlanAsync(work.MigrationId, cancellationToken) is not { } schema)
        {
            return true;
        }

        var steps = table.IndexSteps.Select(index => (schema.PostDataGroups[work.IndexGroup][index], PostDataEntry(work.PlanId, work.IndexGroup, index))).ToList();
        return await PostDataRunnerFor(work.Target, work.PlanId, $"the keys and indexes of {table.Table}", ledgerReady: true).TryApplyStepsTogetherAsync(steps, cancellationToken);
    }

    // The tables with a streamed hash are summed in one query; a table that query does not confirm, and a table
    // without such a hash, is verified on its own, which says where it differs.
    private async Task<TableVerified[]> VerifySmallTablesAsync(SmallTablesWork work, CancellationToken cancellationToken)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await DataPlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var summable = new List<(int Position, TableLayout Table, ChunkCheckpoint Checkpoint)>();
        for (var i = 0; i < work.Tables.Count; i++)
        {
            var (table, chunks) = TableOf(plan, work.Tables[i].TableIndex, work.Tables[i].Table);
            if (chunks.Count == 1 && await store.ReadChunkAsync(chunks[0].Id, cancellationToken) is { } checkpoint && StreamedVerifier.CanVerify(table, [checkpoint]))
            {
                summable.Add((i, table, checkpoint));
            }
        }

        var verified = new TableVerified?[work.Tables.Count];
        var summed = await StreamedVerifier.VerifyWholeTablesAsync(environment.DataSource(work.Target), [.. summable.Select(s => (s.Table, s.Checkpoint))], cancellationToken);
        foreach (var (sum, position) in summed.Zip(summable.Select(s => s.Position)))
        {
            verified[position] = sum is null ? null : Verified(sum, streamed: true);
        }

        for (var i = 0; i < verified.Length; i++)
        {
            verified[i] ??= await VerifyTableAsync(new VerifyWork(work.MigrationId, work.PlanId, work.Source, work.Target, work.Tables[i].TableIndex, work.Tables[i].Table), cancellationToken);
        }

        return [.. verified.Select(v => v!)];
    }

    public Task<DdlApplied> AnalyzeTableAsync(AnalyzeWork work, CancellationToken cancellationToken = default) =>
        AnalyzeAsync(work.MigrationId, work.PlanId, work.Target, [(work.TableIndex, work.Table)], work.Table.Sql, cancellationToken);

    private async Task<DdlApplied> AnalyzeAsync(
        string migrationId, string planId, string target, IReadOnlyList<(int Index, QualifiedName Name)> tables, string what, CancellationToken cancellationToken)
    {
        var store = environment.CheckpointsFor(migrationId);
        var plan = await DataPlanOfAsync(migrationId, planId, store, cancellationToken);
        var names = string.Join(", ", tables.Select(t => TableOf(plan, t.Index, t.Name).Table.QualifiedName));
        await RetryFor(what).ExecuteAsync(
            async ct =>
            {
                await using var analyze = environment.DataSource(target).CreateCommand($"ANALYZE {names}");
                await analyze.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
        return new DdlApplied(tables.Count);
    }

    public Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        ApplyPostDataStepAsync(work, ledgerReady: false, cancellationToken);

    private async Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, bool ledgerReady, CancellationToken cancellationToken)
    {
        if (await PostDataPlanAsync(work.MigrationId, cancellationToken) is not { } schema)
        {
            return new DdlApplied(0);
        }

        var step = schema.PostDataGroups[work.Stage][work.StepIndex];
        if (step.Kind == SchemaObjectKind.SequenceValue && work.Source is not null)
        {
            step = await SequenceValueStep.AsOfNowAsync(step, environment.DataSource(work.Source), cancellationToken);
        }

        var runner = PostDataRunnerFor(work.Target, work.PlanId, step.Description, ledgerReady);
        using var building = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = environment.Options.OnIndexProgress is { } onIndex && step.Stage == SchemaStage.KeysAndIndexes && step.Table is { } table
            ? IndexBuildWatcher.WatchAsync(environment.DataSource(work.Target), table, environment.Options.IndexProgressInterval, onIndex, building.Token)
            : Task.CompletedTask;
        try
        {
            await runner.ApplyStepOnceAsync(step, PostDataEntry(work.PlanId, work.Stage, work.StepIndex), cancellationToken);
        }
        catch (SchemaApplyException ex)
        {
            logger.LogError("{Step} was not created: {Message}", step.Description, ex.Message);
            return new DdlApplied(0) { Failure = BoundedText.Message(ex.Message) };
        }
        finally
        {
            await building.CancelAsync();
            await watch;
        }

        return new DdlApplied(1);
    }

    // Null for a finished migration run again: its post-data is in place and the ledger is gone.
    private async Task<SchemaPlan?> PostDataPlanAsync(string migrationId, CancellationToken cancellationToken)
    {
        var store = environment.CheckpointsFor(migrationId);
        return await store.ReadDocumentAsync(FinishedDocument, cancellationToken) is null ? await SchemaPlanOfAsync(migrationId, store, cancellationToken) : null;
    }

    private static string PostDataEntry(string planId, int stage, int stepIndex) => $"{planId}/post-data/{stage}-{stepIndex}";

    private PostDataRunner PostDataRunnerFor(string target, string planId, string what, bool ledgerReady) => new(environment.DataSource(target), new PostDataOptions
    {
        PlanId = planId,
        Retry = ResiliencePolicy.Create(onRetry: message => logger.LogWarning("{Step}: {Message}", what, message)),
        LedgerReady = ledgerReady,
    });

    public async Task<DdlApplied> FinishAsync(DdlWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var target = environment.DataSource(work.Target);
        var schema = await SchemaPlanOfAsync(work.MigrationId, store, cancellationToken);
        if (schema.PausedAutovacuum.Count > 0)
        {
            // Back to the server's defaults, as on the source; idempotent, so a rerun of a finished migration does no harm.
            // A batch is one transaction, holding a lock per table: in batches the target's lock table can hold, as
            // pre-data was (13,000 tables in one ran a server with the default max_locks_per_transaction out of memory).
            var perTransaction = await StepsPerTransactionAsync(store, target, cancellationToken);
            await using var connection = await target.OpenConnectionAsync(cancellationToken);
            foreach (var tables in schema.PausedAutovacuum.Chunk(perTransaction))
            {
                await using var batch = new NpgsqlBatch(connection);
                foreach (var table in tables)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"ALTER TABLE IF EXISTS {table.Sql} RESET (autovacuum_enabled)"));
                }

                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await store.WriteDocumentAsync(FinishedDocument, "done", cancellationToken);
        await CopyLedger.DropAsync(target, cancellationToken);
        return new DdlApplied(0);
    }

    public async Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await DataPlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (table, chunks) = TableOf(plan, work.TableIndex, work.Table);
        var checkpoints = new List<ChunkCheckpoint?>(chunks.Count);
        foreach (var chunk in chunks)
        {
            checkpoints.Add(await store.ReadChunkAsync(chunk.Id, cancellationToken));
        }

        // The source was hashed as it streamed: only the target computes its hashes, unless the table was copied as
        // text or by an engine before the hash, when both sides compute the checksum.
        var streamed = StreamedVerifier.CanVerify(table, checkpoints);
        var result = streamed
            ? await StreamedVerifier.VerifyAsync(environment.DataSource(work.Target), table, chunks, checkpoints, work.Parallelism, cancellationToken)
            : (await DataVerifier.VerifyAsync(
                environment.DataSource(work.Source),
                environment.DataSource(work.Target),
                plan with { Tables = [table], Chunks = chunks, LargeObjects = null },
                new VerificationOptions { Parallelism = work.Parallelism, SourceSnapshotId = environment.Options.SourceSnapshotId },
                cancellationToken)).Tables.Single();
        return Verified(result, streamed);
    }

    public Task<OnlineStarted> StartOnlineAsync(OnlineWork work, CancellationToken cancellationToken = default) => online.StartAsync(work, cancellationToken);

    public Task<ChangesFollowed> FollowChangesAsync(OnlineWork work, CancellationToken cancellationToken = default) => online.FollowAsync(work, cancellationToken);

    public Task<CutoverReport> CutOverAsync(OnlineWork work, CancellationToken cancellationToken = default) => online.CutOverAsync(work, cancellationToken);

    /// <param name="streamed">The source side is the hash streamed with the copy.</param>
    internal static TableVerified Verified(TableVerification result, bool streamed = false)
    {
        var detail = result.Matches
            ? streamed ? "row count and checksum equal (the target's rows against the hash streamed from the source)" : "row count and checksum equal"
            : result.SourceRows != result.TargetRows
                ? $"source has {result.SourceRows} rows, target {result.TargetRows}"
                : $"same row count, different content{(result.MismatchedChunks.Count > 0 ? $" in {string.Join(", ", result.MismatchedChunks)}" : string.Empty)}";
        return new TableVerified(result.Table, result.Matches, result.SourceRows, result.TargetRows, detail) { Kind = result.Kind };
    }

    public async Task<ChunkCopied> CopyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await DataPlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (largeObjects, set) = LargeObjectSetOf(plan, work);
        var copier = new LargeObjectCopier(environment.DataSource(work.Source), environment.DataSource(work.Target), store, new LargeObjectCopierOptions
        {
            PlanId = plan.Id,
            SnapshotId = environment.Options.SourceSnapshotId,
            OnProgress = ReportProgress(work.MigrationId),
            Retry = RetryFor(set.Describe()),
        });
        return await CopiedAsync(copier.CopySetAsync(largeObjects, set, cancellationToken));
    }

    // What a copy moved, or its failure as the workflow reports it.
    private static async Task<ChunkCopied> CopiedAsync(Task<ChunkCheckpoint> copy)
    {
        try
        {
            var checkpoint = await copy;
            return new ChunkCopied(checkpoint.Rows, checkpoint.Bytes);
        }
        catch (ChunkCopyException ex)
        {
            throw new ChunkFailedException(ex);
        }
    }

    public async Task<TableVerified> VerifyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await DataPlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (largeObjects, set) = LargeObjectSetOf(plan, work);
        var report = await DataVerifier.VerifyAsync(
            environment.DataSource(work.Source),
            environment.DataSource(work.Target),
            plan with { Tables = [], Chunks = [], LargeObjects = largeObjects with { Sets = [set] } },
            new VerificationOptions { Parallelism = 1, SourceSnapshotId = environment.Options.SourceSnapshotId },
            cancellationToken);
        var result = report.Tables.Single();
        var detail = result.Matches
            ? "object count and content checksum equal"
            : result.SourceRows != result.TargetRows
                ? $"{set.Describe()}: source has {result.SourceRows} objects, target {result.TargetRows}"
                : $"{set.Describe()}: same object count, different content";
        return new TableVerified(result.Table, result.Matches, result.SourceRows, result.TargetRows, detail) { Kind = DataKind.LargeObjects };
    }

    private static (LargeObjectPlan Plan, LargeObjectSet Set) LargeObjectSetOf(DataPlan plan, LargeObjectWork work) =>
        plan.LargeObjects is { } largeObjects && work.SetIndex < largeObjects.Sets.Count && largeObjects.Sets[work.SetIndex].Id == work.Set
            ? (largeObjects, largeObjects.Sets[work.SetIndex])
            : throw new MigrationRefusedException($"Large objects {work.Set} are not set {work.SetIndex} of plan {plan.Id}; the stored plan does not match the running migration.");

    // A chunk already copied needs no snapshot, so a finished copy never asks for one that is gone.
    private async Task<string?> OnlineSnapshotAsync(ChunkWork work, CopyChunk chunk, ICheckpointStore store, CancellationToken cancellationToken) =>
        await store.ReadChunkAsync(chunk.Id, cancellationToken) is { Done: true } ? null : await online.SnapshotForCopyAsync(work.MigrationId, cancellationToken);

    private async Task<SchemaPlan> SchemaPlanOfAsync(string migrationId, ICheckpointStore store, CancellationToken cancellationToken) =>
        (SchemaPlan)(documents.TryGetValue((migrationId, SchemaPlan.DocumentId), out var cached)
            ? cached
            : documents.GetOrAdd(
                (migrationId, SchemaPlan.DocumentId),
                await SchemaPlanBuilder.ReadAsync(store, cancellationToken)
                    ?? throw new MigrationRefusedException($"Migration {migrationId} has no stored DDL at {store.Location}; its checkpoints were deleted while it ran. Start it again.")));

    private async Task<DataPlan> DataPlanOfAsync(string migrationId, string planId, ICheckpointStore store, CancellationToken cancellationToken)
    {
        if (documents.TryGetValue((migrationId, DataPlan.DocumentId), out var cached) && ((DataPlan)cached).Id == planId)
        {
            return (DataPlan)cached;
        }

        var json = await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken)
            ?? throw new MigrationRefusedException($"Migration {migrationId} has no stored plan at {store.Location}; its checkpoints were deleted while it ran. Start it again.");
        var plan = DataPlan.FromJson(json);
        if (plan.Id != planId)
        {
            throw new MigrationRefusedException($"The plan stored for migration {migrationId} at {store.Location} is {plan.Id}, not {planId}; start the migration again to use the stored one.");
        }

        documents[(migrationId, DataPlan.DocumentId)] = plan;
        return plan;
    }

    private static Task OnServerAsync(string side, ConnectionSpec spec, Func<Task> work) =>
        OnServerAsync(side, spec, async () =>
        {
            await work();
            return true;
        });

    private static async Task<T> OnServerAsync<T>(string side, ConnectionSpec spec, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException ex)
        {
            throw new ServerFailedException(side, spec, ex);
        }
    }

    // To status reads served by this process, and to the host's own view (the command line's bars).
    private Action<ChunkProgress> ReportProgress(string migrationId) => progress =>
    {
        environment.Streaming.Report(migrationId, progress);
        environment.Options.OnChunkProgress?.Invoke(progress);
    };

    private ResiliencePipeline RetryFor(string table) =>
        ResiliencePolicy.Create(onRetry: message => logger.LogWarning("{Table}: {Message}", table, message));

    // Its pre-data created the table, and nothing has been added to it that a TRUNCATE would trip over:
    // foreign keys to it, triggers and policies come after its rows. Not so for a table --skip-existing kept.
    private static bool CreatesTable(SchemaPlan schema, TableLayout table) =>
        !schema.SkipExisting && CreatedTables.GetValue(schema, s => [.. s.PreData.Where(step => step.Kind == SchemaObjectKind.Table && step.Table is not null).Select(step => step.Table!)])
            .Contains(table.Id);

    // Built once per plan: every chunk's activity asks, and scanning thousands of steps each time grows with the square.
    private static readonly ConditionalWeakTable<SchemaPlan, HashSet<QualifiedName>> CreatedTables = new();

    private static readonly ConditionalWeakTable<DataPlan, ILookup<QualifiedName, CopyChunk>> ChunksByTable = new();

    private static (TableLayout Table, List<CopyChunk> Chunks) TableOf(DataPlan plan, int index, QualifiedName name)
    {
        if (index >= plan.Tables.Count || plan.Tables[index].Id != name)
        {
            throw new MigrationRefusedException($"Table {name} is not table {index} of plan {plan.Id}; the stored plan does not match the running migration.");
        }

        var table = plan.Tables[index];
        return (table, [.. ChunksByTable.GetValue(plan, p => p.ChunksByTable())[table.Id]]);
    }
}
