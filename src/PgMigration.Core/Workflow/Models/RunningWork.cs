using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;

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

    /// <summary>Counting and hashing one set of the large objects on both servers; the work's name is the set's.</summary>
    VerifyLargeObjects,
}

/// <summary>A step running now: <paramref name="Name"/> is the index or key it builds, when it builds one.</summary>
public sealed record RunningWork(WorkKind Kind, QualifiedName Table, string? Name = null);
