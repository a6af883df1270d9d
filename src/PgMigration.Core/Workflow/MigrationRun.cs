using System.Text.Json.Serialization;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// What a host's runner knows about one run, under Durable's own field names (instanceId, name,
/// runtimeStatus, createdTime, lastUpdatedTime, customStatus, output), so that both hosts answer alike.
/// </summary>
public record MigrationRun
{
    public required string InstanceId { get; init; }

    /// <summary>The orchestration's name, as Durable reports it.</summary>
    public string Name { get; init; } = WorkflowNames.Migration;

    public required MigrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedTime { get; init; }

    public DateTimeOffset LastUpdatedTime { get; init; }

    /// <summary>The phase the workflow last reported, and how far into it it is.</summary>
    public WorkflowProgress? CustomStatus { get; init; }

    /// <summary>The workflow's result once it has completed.</summary>
    public MigrationOutcome? Output { get; init; }

    /// <summary>Why the run failed, when it did; never carries connection details.</summary>
    public virtual string? Failure { get; init; }

    /// <summary>What the failure calls for, when the run failed.</summary>
    [JsonIgnore]
    public MigrationFailureKind FailureKind { get; init; }

    [JsonIgnore]
    public bool IsActive => RuntimeStatus is MigrationRuntimeStatus.Pending or MigrationRuntimeStatus.Running;
}
