using System.Text.Json.Serialization;

namespace PgMigration.Core.Workflow.Models;

/// <summary>What a running step of the workflow does to its table, beside copying its rows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkKind>))]
public enum WorkKind
{
    /// <summary>Building one of the table's keys or indexes.</summary>
    Index,

    /// <summary>Adding one of the table's foreign keys.</summary>
    ForeignKey,

    /// <summary>ANALYZE of the table.</summary>
    Analyze,

    /// <summary>Counting and hashing the table's rows on both servers.</summary>
    Verify,
}

/// <summary>A step running now: <paramref name="Name"/> is the index or key it builds, when it builds one.</summary>
public sealed record RunningWork(WorkKind Kind, string Table, string? Name = null);
