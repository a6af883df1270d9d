using Npgsql;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using Polly;

namespace PgMigration.Core.Workflow;

public sealed record PostDataOptions
{
    /// <summary>Identifies this migration's entries in the target's ledger (the data plan's id).</summary>
    public required string PlanId { get; init; }

    /// <summary>Keys and indexes built at the same time; the other stages run one step at a time.</summary>
    public int Parallelism { get; init; } = 4;

    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    public Action<SchemaStepApplied>? OnStepApplied { get; init; }
}

/// <summary>
/// Runs the post-data steps after the rows are in, stage by stage: primary keys, unique constraints and
/// indexes in parallel, then index attachments, foreign keys, triggers and security, materialized view
/// refreshes and sequence values one by one. Each step commits together with a row in the copy ledger,
/// so a rerun after a kill skips exactly the steps that committed, whatever happened to the process.
/// </summary>
public sealed class PostDataRunner(NpgsqlDataSource target, PostDataOptions options)
{
    public async Task<int> RunAsync(IReadOnlyList<SchemaStep> steps, CancellationToken cancellationToken = default)
    {
        await CopyLedger.EnsureAsync(target, cancellationToken);
        var numbered = steps.Select((step, index) => (Step: step, Index: index)).Where(s => s.Step.Phase == SchemaPhase.PostData).ToList();
        var applied = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var stage in numbered.GroupBy(s => s.Step.Stage).OrderBy(g => g.Key))
        {
            var parallelism = stage.Key == SchemaStage.KeysAndIndexes ? Math.Max(1, options.Parallelism) : 1;
            await Parallel.ForEachAsync(
                stage,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    await ApplyOnceAsync(item.Step, $"{options.PlanId}/post-data/{item.Index}", ct);
                    options.OnStepApplied?.Invoke(new SchemaStepApplied(item.Step, Interlocked.Increment(ref applied), numbered.Count, watch.Elapsed));
                });
        }

        return applied;
    }

    /// <summary>
    /// Step <paramref name="index"/> of <paramref name="steps"/> ahead of its stage (a table's keys and
    /// indexes as soon as its rows are in); <see cref="RunAsync"/> with the same list later skips it.
    /// </summary>
    public async Task ApplyStepAsync(IReadOnlyList<SchemaStep> steps, int index, CancellationToken cancellationToken = default) =>
        await ApplyOnceAsync(steps[index], $"{options.PlanId}/post-data/{index}", cancellationToken);

    /// <summary>
    /// One step, committed together with ledger entry <paramref name="entry"/>; skipped when the entry is
    /// already there. For hosts that schedule steps themselves (the workflow's activities).
    /// </summary>
    public async Task ApplyStepOnceAsync(SchemaStep step, string entry, CancellationToken cancellationToken = default)
    {
        await CopyLedger.EnsureAsync(target, cancellationToken);
        await ApplyOnceAsync(step, entry, cancellationToken);
    }

    private async Task ApplyOnceAsync(SchemaStep step, string entry, CancellationToken cancellationToken)
    {
        try
        {
            await options.Retry.ExecuteAsync(
                async ct =>
                {
                    await using var connection = await target.OpenConnectionAsync(ct);
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    var settings = string.Join("; ", SchemaScript.SessionSettings.Select(s => s.Replace("SET ", "SET LOCAL ", StringComparison.Ordinal)));
                    await using (var configure = new NpgsqlCommand(Connections.DeadClientCheck.SetLocal(connection) + settings, connection, transaction))
                    {
                        await configure.ExecuteNonQueryAsync(ct);
                    }

                    if (await CopyLedger.FindAsync(connection, entry, ct) is not null)
                    {
                        return;
                    }

                    await SchemaApplier.ExecuteStatementsAsync(connection, transaction, step, ct);

                    await CopyLedger.RecordAsync(connection, entry, new CopiedVolume(0, 0), ct);
                    await transaction.CommitAsync(ct);
                },
                cancellationToken);
        }
        catch (PostgresException ex) when (!Connections.TransientErrors.IsTransient(ex))
        {
            throw new SchemaApplyException(step, ex, [], rolledBack: true, SchemaApplyException.OneStepRolledBack);
        }
    }
}
