using Npgsql;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using Polly;

namespace PgMigration.Core.Workflow;

internal sealed record PreDataOptions
{
    /// <summary>Identifies this migration's entries in the target's ledger (the data plan's id).</summary>
    public required string PlanId { get; init; }

    public ResiliencePipeline Retry { get; init; } = ResiliencePipeline.Empty;

    public Action<PreDataBatchApplied>? OnBatchApplied { get; init; }
}

/// <param name="Number">The batch's <see cref="PreDataBatch.Number"/>.</param>
/// <param name="Total">How many batches the migration's pre-data has.</param>
public sealed record PreDataBatchApplied(int Number, int Total, int Steps);

/// <summary>
/// Runs pre-data batch by batch, each in one transaction that also writes the batch's row in the copy
/// ledger, so a rerun after a kill skips exactly the batches that committed and resumes at the first
/// that did not, whatever happened to the process.
/// </summary>
internal sealed class PreDataRunner(NpgsqlDataSource target, PreDataOptions options)
{
    private string Prefix => $"{options.PlanId}/pre-data/";

    /// <summary>The numbers of the batches the target's ledger lists as committed.</summary>
    public async Task<IReadOnlySet<int>> AppliedBatchesAsync(CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand($"SELECT substr(entry, length($1) + 1)::int FROM {CopyLedger.Table} WHERE starts_with(entry, $1)");
        command.Parameters.AddWithValue(Prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0));
        }

        return applied;
    }

    /// <summary>Applies each of <paramref name="batches"/> the ledger does not list yet; returns the steps applied.</summary>
    /// <param name="total">How many batches the whole pre-data has, for progress and messages.</param>
    public async Task<int> ApplyAsync(IReadOnlyList<PreDataBatch> batches, int total, CancellationToken cancellationToken = default)
    {
        await CopyLedger.EnsureAsync(target, cancellationToken);
        var applied = 0;
        foreach (var batch in batches)
        {
            if (await ApplyOnceAsync(batch, total, cancellationToken))
            {
                applied += batch.Steps.Count;
                options.OnBatchApplied?.Invoke(new PreDataBatchApplied(batch.Number, total, batch.Steps.Count));
            }
        }

        return applied;
    }

    private async Task<bool> ApplyOnceAsync(PreDataBatch batch, int total, CancellationToken cancellationToken) =>
        await options.Retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await target.OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await SchemaApplier.ConfigureAsync(connection, transaction, string.Empty, ct);

                var entry = Prefix + batch.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (await CopyLedger.FindAsync(connection, entry, ct) is not null)
                {
                    return false;
                }

                foreach (var step in batch.Steps)
                {
                    try
                    {
                        await SchemaApplier.ExecuteStatementsAsync(connection, transaction, step, ct);
                    }
                    catch (PostgresException ex) when (!Connections.TransientErrors.IsTransient(ex))
                    {
                        throw new SchemaApplyException(step, ex,
                            $"Batch {batch.Number + 1} of {total} ({batch.Steps.Count} steps) was rolled back; the batches before it are committed, and a rerun resumes at this one.");
                    }
                }

                await CopyLedger.RecordAsync(connection, entry, new CopiedVolume(0, 0), ct);
                await transaction.CommitAsync(ct);
                return true;
            },
            cancellationToken);
}
