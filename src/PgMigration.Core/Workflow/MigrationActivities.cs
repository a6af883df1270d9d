using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The activities over the engine: plans and DDL are written to the migration's checkpoint store and
/// read back by id, so the workflow only ever carries small records. Every activity is idempotent.
/// </summary>
public sealed class MigrationActivities(MigrationEnvironment environment, ILogger logger) : IMigrationActivities
{
    private readonly ConcurrentDictionary<(string MigrationId, string PlanId), DataPlan> plans = new();

    public async Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(request.MigrationId);
        var source = environment.DataSource(request.Source);
        var sourceSpec = environment.Connections.Resolve(request.Source);
        if (request.Mode == MigrationMode.Schema)
        {
            return new PlanSummary(request.MigrationId, [], 0, []);
        }

        var runner = new DataCopyRunner(source, environment.DataSource(request.Target), store, new DataCopyOptions
        {
            Tables = new TableLayoutReaderOptions { Include = TableFilter(request) },
        });
        var plan = await runner.LoadOrCreatePlanAsync(sourceSpec.Display, cancellationToken);
        if (plan.Chunks.Any(c => c.Kind == ChunkKind.BlockRange))
        {
            await CopyLedger.EnsureAsync(environment.DataSource(request.Target), cancellationToken);
        }

        var tables = plan.Tables.Select((table, index) => new PlannedTable(
            index,
            table.DisplayName,
            Math.Max(0, table.EstimatedRows),
            table.EstimatedBytes,
            plan.Chunks.Count(c => c.Schema == table.Schema && c.Table == table.Name))).ToList();
        return new PlanSummary(plan.Id, tables, 0, []);
    }

    public Task<DdlApplied> ApplyPreDataAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Schema steps arrive with the schema engine.");

    public Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Schema steps arrive with the schema engine.");

    public async Task<ChunkCopied> CopyChunkAsync(ChunkWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await PlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (table, chunks) = TableOf(plan, work.TableIndex, work.Table);
        if (work.ChunkIndex >= chunks.Count)
        {
            throw new InvalidOperationException($"Table {work.Table} has {chunks.Count} chunks in plan {plan.Id}, not {work.ChunkIndex + 1}; the stored plan was changed under a running migration.");
        }

        var copier = new TableCopier(environment.DataSource(work.Source), environment.DataSource(work.Target), store, new TableCopierOptions
        {
            BatchSize = work.BatchSize,
            PlanId = plan.Id,
            Retry = ResiliencePolicy.Create(onRetry: message => logger.LogWarning("{Table}: {Message}", work.Table, message)),
        });
        var checkpoint = await copier.CopyChunkAsync(table, chunks[work.ChunkIndex], cancellationToken);
        return new ChunkCopied(checkpoint.Rows, checkpoint.Bytes);
    }

    public async Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var plan = await PlanOfAsync(work.MigrationId, work.PlanId, store, cancellationToken);
        var (table, chunks) = TableOf(plan, work.TableIndex, work.Table);
        var report = await DataVerifier.VerifyAsync(
            environment.DataSource(work.Source),
            environment.DataSource(work.Target),
            plan with { Tables = [table], Chunks = chunks },
            new VerificationOptions { Parallelism = 1 },
            cancellationToken);
        var result = report.Tables.Single();
        var detail = result.Matches
            ? "row count and checksum equal"
            : result.SourceRows != result.TargetRows
                ? $"source has {result.SourceRows} rows, target {result.TargetRows}"
                : $"same row count, different content{(result.MismatchedChunks.Count > 0 ? $" in {string.Join(", ", result.MismatchedChunks)}" : string.Empty)}";
        return new TableVerified(result.Table, result.Matches, result.SourceRows, result.TargetRows, detail);
    }

    private static Func<string, string, bool>? TableFilter(PlanRequest request) =>
        request.Include.Count == 0 && request.Exclude.Count == 0
            ? null
            : throw new NotSupportedException("include/exclude arrive with the catalog filter.");

    private async Task<DataPlan> PlanOfAsync(string migrationId, string planId, ICheckpointStore store, CancellationToken cancellationToken)
    {
        if (plans.TryGetValue((migrationId, planId), out var cached))
        {
            return cached;
        }

        var json = await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken)
            ?? throw new InvalidOperationException($"Migration {migrationId} has no stored plan at {store.Location}; its checkpoints were deleted while it ran. Start it again.");
        var plan = DataPlan.FromJson(json);
        if (plan.Id != planId)
        {
            throw new InvalidOperationException($"The plan stored for migration {migrationId} at {store.Location} is {plan.Id}, not {planId}; start the migration again to use the stored one.");
        }

        return plans.GetOrAdd((migrationId, planId), plan);
    }

    private static (TableLayout Table, List<CopyChunk> Chunks) TableOf(DataPlan plan, int index, string name)
    {
        if (index >= plan.Tables.Count || plan.Tables[index].DisplayName != name)
        {
            throw new InvalidOperationException($"Table {name} is not table {index} of plan {plan.Id}; the stored plan does not match the running migration.");
        }

        var table = plan.Tables[index];
        return (table, plan.Chunks.Where(c => c.Schema == table.Schema && c.Table == table.Name).ToList());
    }
}
