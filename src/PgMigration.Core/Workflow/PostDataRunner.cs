using Npgsql;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using Polly;

namespace PgMigration.Core.Workflow;

internal sealed record PostDataOptions
{
    /// <summary>Identifies this migration's entries in the target's ledger (the data plan's id).</summary>
    public required string PlanId { get; init; }

    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    /// <summary>The caller made sure of the target's ledger for a run of many steps (see <see cref="Copy.TableCopierOptions.LedgerReady"/>).</summary>
    public bool LedgerReady { get; init; }
}

/// <summary>
/// Applies one post-data step (a key, an index, a foreign key, a trigger, a refresh, a sequence value) as
/// the workflow schedules it. Each step commits together with a row in the copy ledger, so a rerun after
/// a kill skips exactly the steps that committed, whatever happened to the process.
/// </summary>
internal sealed class PostDataRunner(NpgsqlDataSource target, PostDataOptions options)
{
    /// <summary>
    /// One step, committed together with ledger entry <paramref name="entry"/>; skipped when the entry is
    /// already there. For hosts that schedule steps themselves (the workflow's activities).
    /// </summary>
    public async Task ApplyStepOnceAsync(SchemaStep step, string entry, CancellationToken cancellationToken = default)
    {
        await EnsureLedgerAsync(cancellationToken);
        await ApplyOnceAsync(step, entry, cancellationToken);
    }

    /// <summary>
    /// Several steps of one table in one transaction, each committed with its ledger entry and skipped where that
    /// is there already: one pool checkout, one round of settings, one ledger read and one batch for all of them.
    /// False when the target rejects any of them: then none was applied, and the caller applies them one by one,
    /// so that the rest are built and the step at fault is the one reported.
    /// </summary>
    public async Task<bool> TryApplyStepsTogetherAsync(IReadOnlyList<(SchemaStep Step, string Entry)> steps, CancellationToken cancellationToken = default)
    {
        await EnsureLedgerAsync(cancellationToken);
        try
        {
            await ApplyInOneTransactionAsync(steps, cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (!Connections.TransientErrors.IsTransient(ex))
        {
            return false;
        }
    }

    private Task EnsureLedgerAsync(CancellationToken cancellationToken) =>
        options.LedgerReady ? Task.CompletedTask : CopyLedger.EnsureAsync(target, cancellationToken);

    private async Task ApplyOnceAsync(SchemaStep step, string entry, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyInOneTransactionAsync([(step, entry)], cancellationToken);
        }
        catch (PostgresException ex) when (!Connections.TransientErrors.IsTransient(ex))
        {
            throw new SchemaApplyException(step, ex, SchemaApplyException.OneStepRolledBack);
        }
    }

    private Task ApplyInOneTransactionAsync(IReadOnlyList<(SchemaStep Step, string Entry)> steps, CancellationToken cancellationToken) =>
        options.Retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await target.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await SchemaApplier.ConfigureAsync(connection, transaction, Connections.DeadClientCheck.SetLocal(connection), ct);
                var applied = await CopyLedger.FoundAsync(connection, [.. steps.Select(s => s.Entry)], ct);
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (step, entry) in steps.Where(s => !applied.Contains(s.Entry)))
                {
                    SchemaApplier.AddStatements(batch, step);
                    batch.BatchCommands.Add(CopyLedger.Record(entry, new CopiedVolume(0, 0)));
                }

                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(ct);
                    await transaction.CommitAsync(ct);
                }
            },
            cancellationToken).AsTask();
}
