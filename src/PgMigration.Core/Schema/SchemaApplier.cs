using Npgsql;

namespace PgMigration.Core.Schema;

/// <summary>Runs <see cref="SchemaStep"/>s on the target with pg_dump's restore settings, inside the caller's transaction.</summary>
internal static class SchemaApplier
{
    /// <summary>pg_dump's restore settings for the rest of <paramref name="transaction"/>, after <paramref name="before"/> (more SET LOCALs, or empty).</summary>
    public static async Task ConfigureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string before, CancellationToken cancellationToken = default)
    {
        var settings = string.Join("; ", SchemaScript.SessionSettings.Select(s => s.Replace("SET ", "SET LOCAL ", StringComparison.Ordinal)));
        await using var command = new NpgsqlCommand(before + settings, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the step's statements as one batch, under the step's <see cref="SchemaStep.SearchPath"/>. A single
    /// command would be split by Npgsql at every semicolon, including those inside BEGIN ATOMIC function bodies.
    /// </summary>
    public static async Task ExecuteStatementsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SchemaStep step, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddStatements(batch, step);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The step's statements, under its <see cref="SchemaStep.SearchPath"/>, added to <paramref name="batch"/>.</summary>
    public static void AddStatements(NpgsqlBatch batch, SchemaStep step)
    {
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
    }
}

/// <summary>A DDL step failed. Says which object, the server's error, the SQL, and what was left applied (<paramref name="outcome"/>).</summary>
public sealed class SchemaApplyException(SchemaStep step, PostgresException error, string outcome)
    : Exception(Describe(step, error, outcome), error)
{
    /// <summary>The outcome of a post-data step, which runs in a transaction of its own.</summary>
    public const string OneStepRolledBack = "That step was rolled back on its own; everything applied before it stays applied.";

    public SchemaStep Step { get; } = step;

    private static string Describe(SchemaStep step, PostgresException error, string outcome)
    {
        var detail = error.Detail is null ? string.Empty : $" Detail: {error.Detail}";
        var hint = error.Hint is null ? string.Empty : $" Hint: {error.Hint}";
        return $"Creating {step.Description} failed: {error.MessageText} (SQLSTATE {error.SqlState}).{detail}{hint}\n{outcome}\nFailing SQL:\n{step.Sql}";
    }
}
