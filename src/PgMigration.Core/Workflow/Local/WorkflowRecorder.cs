using System.Collections.Concurrent;

namespace PgMigration.Core.Workflow.Local;

/// <summary>Collects the history of every instance a local run creates, parent and sub-workflows.</summary>
public sealed class WorkflowRecorder
{
    private readonly ConcurrentDictionary<string, WorkflowHistory> histories = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, WorkflowHistory> Histories => histories;

    internal WorkflowHistory Start(string instanceId, string name, string inputJson) =>
        histories[instanceId] = new WorkflowHistory(instanceId, name, inputJson);
}
