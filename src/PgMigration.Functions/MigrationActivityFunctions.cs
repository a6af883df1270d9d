using Microsoft.Azure.Functions.Worker;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Functions;

/// <summary>One function per activity of <see cref="IMigrationActivities"/>, each delegating to Core.</summary>
public sealed class MigrationActivityFunctions(MigrationEnvironment environment)
{
    [Function(WorkflowNames.Plan)]
    public Task<PlanSummary> Plan([ActivityTrigger] PlanRequest request, CancellationToken cancellationToken) =>
        environment.Activities.PlanAsync(request, cancellationToken);

    [Function(WorkflowNames.ApplyPreData)]
    public Task<DdlApplied> ApplyPreData([ActivityTrigger] DdlWork work, CancellationToken cancellationToken) =>
        environment.Activities.ApplyPreDataAsync(work, cancellationToken);

    [Function(WorkflowNames.CopyChunk)]
    public Task<ChunkCopied> CopyChunk([ActivityTrigger] ChunkWork work, CancellationToken cancellationToken) =>
        environment.Activities.CopyChunkAsync(work, cancellationToken);

    [Function(WorkflowNames.ApplyPostDataStep)]
    public Task<DdlApplied> ApplyPostDataStep([ActivityTrigger] DdlWork work, CancellationToken cancellationToken) =>
        environment.Activities.ApplyPostDataStepAsync(work, cancellationToken);

    [Function(WorkflowNames.CopySmallTables)]
    public Task<SmallTablesCopied> CopySmallTables([ActivityTrigger] SmallTablesWork work, CancellationToken cancellationToken) =>
        environment.Activities.CopySmallTablesAsync(work, cancellationToken);

    [Function(WorkflowNames.AnalyzeTable)]
    public Task<DdlApplied> AnalyzeTable([ActivityTrigger] AnalyzeWork work, CancellationToken cancellationToken) =>
        environment.Activities.AnalyzeTableAsync(work, cancellationToken);

    [Function(WorkflowNames.Finish)]
    public Task<DdlApplied> Finish([ActivityTrigger] DdlWork work, CancellationToken cancellationToken) =>
        environment.Activities.FinishAsync(work, cancellationToken);

    [Function(WorkflowNames.VerifyTable)]
    public Task<TableVerified> VerifyTable([ActivityTrigger] VerifyWork work, CancellationToken cancellationToken) =>
        environment.Activities.VerifyTableAsync(work, cancellationToken);

    [Function(WorkflowNames.CopyLargeObjects)]
    public Task<ChunkCopied> CopyLargeObjects([ActivityTrigger] LargeObjectWork work, CancellationToken cancellationToken) =>
        environment.Activities.CopyLargeObjectsAsync(work, cancellationToken);

    [Function(WorkflowNames.VerifyLargeObjects)]
    public Task<TableVerified> VerifyLargeObjects([ActivityTrigger] LargeObjectWork work, CancellationToken cancellationToken) =>
        environment.Activities.VerifyLargeObjectsAsync(work, cancellationToken);

    [Function(WorkflowNames.StartOnline)]
    public Task<OnlineStarted> StartOnline([ActivityTrigger] OnlineWork work, CancellationToken cancellationToken) =>
        environment.Activities.StartOnlineAsync(work, cancellationToken);

    [Function(WorkflowNames.FollowChanges)]
    public Task<ChangesFollowed> FollowChanges([ActivityTrigger] OnlineWork work, CancellationToken cancellationToken) =>
        environment.Activities.FollowChangesAsync(work, cancellationToken);

    [Function(WorkflowNames.CutOver)]
    public Task<CutoverReport> CutOver([ActivityTrigger] OnlineWork work, CancellationToken cancellationToken) =>
        environment.Activities.CutOverAsync(work, cancellationToken);
}
