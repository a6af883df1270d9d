namespace PgMigration.Core.Workflow.Local;

/// <summary>
/// What one workflow instance did, in order: what it scheduled and published (its decisions) and in
/// which order its calls completed with which results (what a replay feeds back).
/// </summary>
public sealed class WorkflowHistory(string instanceId, string name, string inputJson)
{
    private readonly object gate = new();
    private readonly List<WorkflowEvent> events = [];

    public string InstanceId { get; } = instanceId;

    public string Name { get; } = name;

    public string InputJson { get; } = inputJson;

    public IReadOnlyList<WorkflowEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>The decisions alone: what a replay must reproduce exactly.</summary>
    public IReadOnlyList<WorkflowEvent> Decisions => [.. Events.Where(e => e.Kind != WorkflowEventKind.Completed && e.Kind != WorkflowEventKind.Failed)];

    internal void Add(WorkflowEvent e)
    {
        lock (gate)
        {
            events.Add(e);
        }
    }
}

public enum WorkflowEventKind
{
    ActivityScheduled,
    SubWorkflowScheduled,
    Completed,
    Failed,
    CustomStatus,
    Finished,
}

/// <summary>One history entry. <see cref="Sequence"/> numbers the calls of one instance in scheduling order.</summary>
public sealed record WorkflowEvent(WorkflowEventKind Kind, int Sequence, string? Name, string? Json);
