using PgMigration.Core.Checkpoints;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// What every host runs: the activities behind two guards. An activity of a cancelled migration does not
/// start, and one that runs stops within <see cref="MigrationCancellation.WatchInterval"/> of the cancel;
/// a failure no retry can help is marked <see cref="PermanentFailureException"/> so that no host retries it.
/// </summary>
internal sealed class GuardedActivities(IMigrationActivities inner, Func<string, ICheckpointStore> checkpointsFor) : IMigrationActivities
{
    public Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request.MigrationId, ct => inner.PlanAsync(request, ct), cancellationToken);

    public Task<DdlApplied> ApplyPreDataAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.ApplyPreDataAsync(work, ct), cancellationToken);

    public Task<ChunkCopied> CopyChunkAsync(ChunkWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.CopyChunkAsync(work, ct), cancellationToken);

    public Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.ApplyPostDataStepAsync(work, ct), cancellationToken);

    public Task<SmallTablesCopied> CopySmallTablesAsync(SmallTablesWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.CopySmallTablesAsync(work, ct), cancellationToken);

    public Task<DdlApplied> AnalyzeTableAsync(AnalyzeWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.AnalyzeTableAsync(work, ct), cancellationToken);

    public Task<DdlApplied> FinishAsync(DdlWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.FinishAsync(work, ct), cancellationToken);

    public Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.VerifyTableAsync(work, ct), cancellationToken);

    public Task<ChunkCopied> CopyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.CopyLargeObjectsAsync(work, ct), cancellationToken);

    public Task<TableVerified> VerifyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.VerifyLargeObjectsAsync(work, ct), cancellationToken);

    public Task<OnlineStarted> StartOnlineAsync(OnlineWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.StartOnlineAsync(work, ct), cancellationToken);

    public Task<ChangesFollowed> FollowChangesAsync(OnlineWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.FollowChangesAsync(work, ct), cancellationToken);

    public Task<CutoverReport> CutOverAsync(OnlineWork work, CancellationToken cancellationToken = default) =>
        RunAsync(work.MigrationId, ct => inner.CutOverAsync(work, ct), cancellationToken);

    private async Task<T> RunAsync<T>(string migrationId, Func<CancellationToken, Task<T>> activity, CancellationToken cancellationToken)
    {
        var store = checkpointsFor(migrationId);
        if (await MigrationCancellation.IsRequestedAsync(store, cancellationToken))
        {
            throw new PermanentFailureException(new MigrationCancelledException(migrationId));
        }

        using var watch = MigrationCancellation.StartWatch(store, cancellationToken);
        try
        {
            return await activity(watch.Token);
        }
        catch (Exception) when (watch.Requested)
        {
            throw new PermanentFailureException(new MigrationCancelledException(migrationId));
        }
        catch (Exception ex) when (ex is not PermanentFailureException && !WorkflowRetryPolicy.CanHelp(ex))
        {
            throw new PermanentFailureException(ex);
        }
    }
}
