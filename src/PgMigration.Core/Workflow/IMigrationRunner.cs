using PgMigration.Core.Workflow;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The port each host implements to run the workflow: in one process locally, through a
/// DurableTaskClient in Azure. Handlers in <see cref="MigrationApi"/> call only this.
/// </summary>
public interface IMigrationRunner
{
    Task StartAsync(MigrationInput input, CancellationToken cancellationToken = default);

    Task<MigrationRun?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> migrations (not their per-table orchestrations), newest first.</summary>
    Task<IReadOnlyList<MigrationRun>> ListAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Stops the run; its checkpoints stay so that starting the same id resumes it.</summary>
    Task CancelAsync(string id, CancellationToken cancellationToken = default);
}
