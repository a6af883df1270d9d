using Microsoft.Azure.Functions.Worker;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Functions;

/// <summary>One function per activity of <see cref="IMigrationActivities"/>, each delegating to Core.</summary>
public sealed class MigrationActivityFunctions(MigrationEnvironment environment)
{
    [Function(WorkflowNames.Plan)]
    public Task<PlanSummary> Plan([ActivityTrigger] PlanRequest request, FunctionContext context) =>
        environment.Activities.PlanAsync(request, context.CancellationToken);

    [Function(WorkflowNames.ApplyPreData)]
    public Task<DdlApplied> ApplyPreData([ActivityTrigger] DdlWork work, FunctionContext context) =>
        environment.Activities.ApplyPreDataAsync(work, context.CancellationToken);

    [Function(WorkflowNames.CopyChunk)]
    public Task<ChunkCopied> CopyChunk([ActivityTrigger] ChunkWork work, FunctionContext context) =>
        environment.Activities.CopyChunkAsync(work, context.CancellationToken);

    [Function(WorkflowNames.ApplyPostDataStep)]
    public Task<DdlApplied> ApplyPostDataStep([ActivityTrigger] DdlWork work, FunctionContext context) =>
        environment.Activities.ApplyPostDataStepAsync(work, context.CancellationToken);

    [Function(WorkflowNames.AnalyzeTable)]
    public Task<DdlApplied> AnalyzeTable([ActivityTrigger] AnalyzeWork work, FunctionContext context) =>
        environment.Activities.AnalyzeTableAsync(work, context.CancellationToken);

    [Function(WorkflowNames.Finish)]
    public Task<DdlApplied> Finish([ActivityTrigger] DdlWork work, FunctionContext context) =>
        environment.Activities.FinishAsync(work, context.CancellationToken);

    [Function(WorkflowNames.VerifyTable)]
    public Task<TableVerified> VerifyTable([ActivityTrigger] VerifyWork work, FunctionContext context) =>
        environment.Activities.VerifyTableAsync(work, context.CancellationToken);
}
