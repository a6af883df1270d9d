using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PgMigration.Core.Workflow.Local;

public sealed record LocalWorkflowOptions
{
    /// <summary>Activities running at once in this process, like Durable's maxConcurrentActivityFunctions.</summary>
    public int MaxConcurrentActivities { get; init; } = MigrationLimits.DefaultParallelism;

    /// <summary>When set, every instance's history is recorded (for replay tests and diagnostics).</summary>
    public WorkflowRecorder? Recorder { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
