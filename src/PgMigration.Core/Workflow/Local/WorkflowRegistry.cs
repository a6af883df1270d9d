namespace PgMigration.Core.Workflow.Local;

/// <summary>Activities and workflows by name, taking and returning JSON as they would in Durable.</summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, Func<string, CancellationToken, Task<string>>> activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IWorkflowContext, string, Task<string>>> workflows = new(StringComparer.Ordinal);

    public WorkflowRegistry AddActivity<TInput, TOutput>(string name, Func<TInput, CancellationToken, Task<TOutput>> activity)
    {
        activities[name] = async (json, ct) => WorkflowJson.Serialize(await activity(WorkflowJson.Deserialize<TInput>(json), ct));
        return this;
    }

    public WorkflowRegistry AddWorkflow<TInput, TOutput>(string name, Func<IWorkflowContext, TInput, Task<TOutput>> workflow)
    {
        workflows[name] = async (context, json) => WorkflowJson.Serialize(await workflow(context, WorkflowJson.Deserialize<TInput>(json)));
        return this;
    }

    /// <summary>The migration workflow, its per-table sub-workflow and one activity per <see cref="IMigrationActivities"/> method.</summary>
    public static WorkflowRegistry ForMigrations(IMigrationActivities activities) => new WorkflowRegistry()
        .AddWorkflow<MigrationInput, Models.MigrationOutcome>(WorkflowNames.Migration, MigrationWorkflow.RunAsync)
        .AddWorkflow<Models.TableCopyWork, Models.ChunkCopied>(WorkflowNames.TableCopy, TableCopyWorkflow.RunAsync)
        .AddActivity<Models.PlanRequest, Models.PlanSummary>(WorkflowNames.Plan, activities.PlanAsync)
        .AddActivity<Models.DdlWork, Models.DdlApplied>(WorkflowNames.ApplyPreData, activities.ApplyPreDataAsync)
        .AddActivity<Models.ChunkWork, Models.ChunkCopied>(WorkflowNames.CopyChunk, activities.CopyChunkAsync)
        .AddActivity<Models.DdlWork, Models.DdlApplied>(WorkflowNames.ApplyPostDataStep, activities.ApplyPostDataStepAsync)
        .AddActivity<Models.SmallTablesWork, Models.SmallTablesCopied>(WorkflowNames.CopySmallTables, activities.CopySmallTablesAsync)
        .AddActivity<Models.AnalyzeWork, Models.DdlApplied>(WorkflowNames.AnalyzeTable, activities.AnalyzeTableAsync)
        .AddActivity<Models.DdlWork, Models.DdlApplied>(WorkflowNames.Finish, activities.FinishAsync)
        .AddActivity<Models.VerifyWork, Models.TableVerified>(WorkflowNames.VerifyTable, activities.VerifyTableAsync)
        .AddActivity<Models.LargeObjectWork, Models.ChunkCopied>(WorkflowNames.CopyLargeObjects, activities.CopyLargeObjectsAsync)
        .AddActivity<Models.LargeObjectWork, Models.TableVerified>(WorkflowNames.VerifyLargeObjects, activities.VerifyLargeObjectsAsync)
        .AddWorkflow<Models.OnlineWork, Models.ChangesFollowed>(WorkflowNames.Follow, FollowWorkflow.RunAsync)
        .AddActivity<Models.OnlineWork, Models.OnlineStarted>(WorkflowNames.StartOnline, activities.StartOnlineAsync)
        .AddActivity<Models.OnlineWork, Models.ChangesFollowed>(WorkflowNames.FollowChanges, activities.FollowChangesAsync)
        .AddActivity<Models.OnlineWork, Models.CutoverReport>(WorkflowNames.CutOver, activities.CutOverAsync);

    internal Func<string, CancellationToken, Task<string>> Activity(string name) =>
        activities.TryGetValue(name, out var activity) ? activity : throw new InvalidOperationException($"No activity is registered as '{name}'.");

    internal Func<IWorkflowContext, string, Task<string>> Workflow(string name) =>
        workflows.TryGetValue(name, out var workflow) ? workflow : throw new InvalidOperationException($"No workflow is registered as '{name}'.");
}
