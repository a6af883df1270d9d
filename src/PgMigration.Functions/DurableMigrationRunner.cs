using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Functions;

/// <summary><see cref="IMigrationRunner"/> over a <see cref="DurableTaskClient"/>: the migration id is the instance id.</summary>
internal sealed class DurableMigrationRunner(DurableTaskClient client) : IMigrationRunner
{
    public async Task StartAsync(MigrationInput input, CancellationToken cancellationToken = default) =>
        await client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.Migration, input, new StartOrchestrationOptions(input.Id), cancellationToken);

    public async Task<MigrationRun?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        var progress = metadata.SerializedCustomStatus is null ? null : metadata.ReadCustomStatusAs<WorkflowProgress>();
        return new MigrationRun
        {
            Id = metadata.InstanceId,
            RuntimeStatus = ToApi(metadata.RuntimeStatus),
            Phase = progress?.Phase,
            PhaseDone = progress?.Done ?? 0,
            PhaseTotal = progress?.Total ?? 0,
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            Failure = metadata.FailureDetails?.ErrorMessage,
        };
    }

    // Recursive, so the per-table sub-orchestrations stop too; their checkpoints stay for a resume.
    public Task CancelAsync(string id, CancellationToken cancellationToken = default) =>
        client.TerminateInstanceAsync(id, new TerminateInstanceOptions { Recursive = true }, cancellationToken);

    private static MigrationRuntimeStatus ToApi(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Pending => MigrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Completed => MigrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed => MigrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => MigrationRuntimeStatus.Terminated,
        _ => MigrationRuntimeStatus.Running,
    };
}
