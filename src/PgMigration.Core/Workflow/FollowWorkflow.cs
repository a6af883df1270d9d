using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The follow phase of an online migration: activities that each apply the source's changes for a bounded
/// time, until one reports that a cut over was requested. It starts over with an empty history every
/// <see cref="IterationsPerHistory"/> activities, so a follow of weeks keeps a small history.
/// </summary>
public static class FollowWorkflow
{
    public const int IterationsPerHistory = 10;

    public static async Task<ChangesFollowed> RunAsync(IWorkflowContext context, OnlineWork work)
    {
        for (var iteration = 0; iteration < IterationsPerHistory; iteration++)
        {
            ChangesFollowed followed;
            try
            {
                followed = await context.CallActivityAsync<ChangesFollowed>(WorkflowNames.FollowChanges, work, WorkflowRetryPolicy.Database);
            }
            catch (WorkflowActivityFailedException ex)
            {
                throw new MigrationFailedException($"Following the source's changes failed: {BoundedText.Message(ex.FailureMessage.TrimEnd())}", ex);
            }

            // Done counts the follow activities of every history; there is no total, it runs until a cut over.
            context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Follow, (work.Generation * IterationsPerHistory) + iteration + 1, 0) { Replication = followed.Progress });
            if (followed.CutoverRequested)
            {
                return followed;
            }
        }

        context.ContinueAsNew(work with { Generation = work.Generation + 1 });
        return null!;
    }
}
