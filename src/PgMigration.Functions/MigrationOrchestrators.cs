using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Functions;

/// <summary>The workflows of Core, registered as Durable orchestrators under their Core names.</summary>
public static class MigrationOrchestrators
{
    [Function(WorkflowNames.Migration)]
    public static Task<MigrationOutcome> RunMigration([OrchestrationTrigger] TaskOrchestrationContext context, MigrationInput input) =>
        MigrationWorkflow.RunAsync(new DurableWorkflowContext(context), input);

    [Function(WorkflowNames.TableCopy)]
    public static Task<ChunkCopied> RunTableCopy([OrchestrationTrigger] TaskOrchestrationContext context, TableCopyWork input) =>
        TableCopyWorkflow.RunAsync(new DurableWorkflowContext(context), input);

    [Function(WorkflowNames.Follow)]
    public static Task<ChangesFollowed> RunFollow([OrchestrationTrigger] TaskOrchestrationContext context, OnlineWork input) =>
        FollowWorkflow.RunAsync(new DurableWorkflowContext(context), input);
}
