using System.Diagnostics;
using Npgsql;

namespace PgMigration.Core.Schema;

public sealed record SchemaApplyOptions
{
    /// <summary>Run every step in one transaction, so a failure leaves the target as it was (schema-only migrations).</summary>
    public bool SingleTransaction { get; init; } = true;

    /// <summary>Called after each step with its position; for progress output.</summary>
    public Action<SchemaStepApplied>? OnStepApplied { get; init; }
}

public sealed record SchemaStepApplied(SchemaStep Step, int Number, int Total, TimeSpan Elapsed);

public sealed record SchemaApplyResult(int StepsApplied, TimeSpan Elapsed);

/// <summary>Runs <see cref="SchemaStep"/>s on the target with pg_dump's restore settings.</summary>
public sealed class SchemaApplier(NpgsqlDataSource target)
{
    public async Task<SchemaApplyResult> ApplyAsync(IReadOnlyList<SchemaStep> steps, SchemaApplyOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SchemaApplyOptions();
        var watch = Stopwatch.StartNew();
        await using var connection = await target.OpenConnectionAsync(cancellationToken);
        if (options.SingleTransaction)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ConfigureAsync(connection, transaction, cancellationToken);
            for (var i = 0; i < steps.Count; i++)
            {
                await RunAsync(connection, transaction, steps[i], appliedBefore: [], rolledBack: true, cancellationToken);
                options.OnStepApplied?.Invoke(new(steps[i], i + 1, steps.Count, watch.Elapsed));
            }

            await transaction.CommitAsync(cancellationToken);
            return new SchemaApplyResult(steps.Count, watch.Elapsed);
        }

        var applied = new List<SchemaStep>();
        foreach (var step in steps)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ConfigureAsync(connection, transaction, cancellationToken);
            await RunAsync(connection, transaction, step, applied, rolledBack: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            applied.Add(step);
            options.OnStepApplied?.Invoke(new(step, applied.Count, steps.Count, watch.Elapsed));
        }

        return new SchemaApplyResult(applied.Count, watch.Elapsed);
    }

    /// <summary>One step in its own transaction, for callers that run independent steps in parallel.</summary>
    public Task ApplyStepAsync(SchemaStep step, CancellationToken cancellationToken = default) =>
        ApplyAsync([step], new SchemaApplyOptions { SingleTransaction = true }, cancellationToken);

    /// <summary>
    /// Sends the step's statements as one batch, under the step's <see cref="SchemaStep.SearchPath"/>. A single
    /// command would be split by Npgsql at every semicolon, including those inside BEGIN ATOMIC function bodies.
    /// </summary>
    public static async Task ExecuteStatementsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SchemaStep step, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (step.SearchPath.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', $1, true)") { Parameters = { new() { Value = SchemaScript.SearchPathOf(step) } } });
        }

        foreach (var statement in step.Statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        if (step.SearchPath.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', '', true)"));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ConfigureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var settings = string.Join("; ", SchemaScript.SessionSettings.Select(s => s.Replace("SET ", "SET LOCAL ", StringComparison.Ordinal)));
        await using var command = new NpgsqlCommand(settings, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SchemaStep step, IReadOnlyList<SchemaStep> appliedBefore, bool rolledBack, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteStatementsAsync(connection, transaction, step, cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new SchemaApplyException(step, ex, rolledBack ? [] : appliedBefore.ToList(), rolledBack);
        }
    }
}

/// <summary>A DDL step failed. Says which object, the server's error, the SQL, and what was left applied.</summary>
/// <param name="outcome">What was left applied, when the caller knows better than <paramref name="applied"/> and <paramref name="rolledBack"/> say.</param>
public sealed class SchemaApplyException(SchemaStep step, PostgresException error, IReadOnlyList<SchemaStep> applied, bool rolledBack, string? outcome = null)
    : Exception(Describe(step, error, applied, rolledBack, outcome), error)
{
    /// <summary>The outcome of a post-data step, which runs in a transaction of its own.</summary>
    public const string OneStepRolledBack = "That step was rolled back on its own; everything applied before it stays applied.";

    public SchemaStep Step { get; } = step;

    public IReadOnlyList<SchemaStep> Applied { get; } = applied;

    public bool RolledBack { get; } = rolledBack;

    private static string Describe(SchemaStep step, PostgresException error, IReadOnlyList<SchemaStep> applied, bool rolledBack, string? outcome)
    {
        var detail = error.Detail is null ? string.Empty : $" Detail: {error.Detail}";
        var hint = error.Hint is null ? string.Empty : $" Hint: {error.Hint}";
        if (error.SqlState == PostgresErrorCodes.OutOfMemory && rolledBack && outcome is null)
        {
            // One transaction holds a lock per object; very large schemas exceed the lock table.
            hint += " The schema is too large for one transaction on this server: raise max_locks_per_transaction on the target, or migrate it in parts with --include.";
        }

        outcome ??= rolledBack
            ? "Nothing was applied: the whole schema ran in one transaction, which was rolled back."
            : applied.Count == 0
                ? "No step was applied before it."
                : $"{applied.Count} step(s) were applied before it, the last being {applied[^1].Description}.";
        return $"Creating {step.Description} failed: {error.MessageText} (SQLSTATE {error.SqlState}).{detail}{hint}\n{outcome}\nFailing SQL:\n{step.Sql}";
    }
}
