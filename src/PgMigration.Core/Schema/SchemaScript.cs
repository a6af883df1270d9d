using System.Text;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>The ordered DDL for a (filtered) catalog: pre-data steps, then post-data stages.</summary>
public sealed record SchemaScript(IReadOnlyList<SchemaStep> Steps, IReadOnlyList<UnsupportedObject> NotMigrated)
{
    /// <summary>Session settings every step runs under, as pg_dump's restore does.</summary>
    public static readonly IReadOnlyList<string> SessionSettings =
    [
        "SET check_function_bodies = off",
        "SET search_path = ''",
        "SET client_min_messages = warning",
        "SET standard_conforming_strings = on",
        "SET statement_timeout = 0",
        "SET lock_timeout = 0",
    ];

    /// <summary>Database-wide objects the filter left out (publications, foreign servers), said so that nobody wonders.</summary>
    public IReadOnlyList<string> FilteredOut { get; init; } = [];

    /// <summary>Included objects that need excluded ones; a migration with any of these is refused.</summary>
    public IReadOnlyList<BrokenDependency> BrokenDependencies { get; init; } = [];

    public IEnumerable<SchemaStep> PreData => Steps.Where(s => s.Phase == SchemaPhase.PreData);

    public IEnumerable<SchemaStep> PostData => Steps.Where(s => s.Phase == SchemaPhase.PostData);

    public IEnumerable<SchemaStep> InStage(SchemaStage stage) => Steps.Where(s => s.Stage == stage);

    /// <summary>Everything a schema-only migration runs: all steps but the sequence values (event triggers stay last).</summary>
    public IEnumerable<SchemaStep> SchemaOnly => Steps.Where(s => s.Stage != SchemaStage.SequenceValues);

    /// <summary>The step's <see cref="SchemaStep.SearchPath"/> as the value of the setting.</summary>
    public static string SearchPathOf(SchemaStep step) => string.Join(", ", step.SearchPath.Select(SqlText.Identifier));

    /// <summary>A psql-runnable rendering, for --dry-run.</summary>
    public string ToSql(IEnumerable<SchemaStep>? steps = null)
    {
        var text = new StringBuilder();
        foreach (var setting in SessionSettings)
        {
            text.Append(setting).AppendLine(";");
        }

        SchemaStage? stage = null;
        foreach (var step in steps ?? Steps)
        {
            if (step.Stage != stage)
            {
                stage = step.Stage;
                text.AppendLine().AppendLine($"-- ===== {step.Phase}: {step.Stage} =====");
            }

            text.AppendLine().AppendLine($"-- {step.Kind} {step.Name}");
            if (step.SearchPath.Count > 0)
            {
                text.AppendLine($"SET search_path = {SearchPathOf(step)};").AppendLine(step.Sql).AppendLine("SET search_path = '';");
            }
            else
            {
                text.AppendLine(step.Sql);
            }
        }

        return text.ToString();
    }
}
