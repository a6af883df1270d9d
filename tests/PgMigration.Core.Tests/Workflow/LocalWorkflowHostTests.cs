using PgMigration.Core.Catalog;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;

namespace PgMigration.Core.Tests.Workflow;

public class LocalWorkflowHostTests
{
    [Fact]
    public async Task A_failed_run_stops_and_awaits_its_other_activities_before_it_reports()
    {
        var slowStopped = new TaskCompletionSource();
        var slowStarted = new TaskCompletionSource();
        var registry = new WorkflowRegistry()
            .AddActivity<int, int>("slow", async (_, ct) =>
            {
                slowStarted.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                    return 0;
                }
                finally
                {
                    slowStopped.SetResult();
                }
            })
            .AddActivity<int, int>("fail", async (_, _) =>
            {
                await slowStarted.Task;
                throw new InvalidOperationException("boom");
            })
            .AddWorkflow<int, int>("both", async (context, _) =>
            {
                // As the workflow's fan-out does: the first failure ends it, whatever still runs.
                var slow = context.CallActivityAsync<int>("slow", 1);
                var failed = await context.CallActivityAsync<int>("fail", 2);
                return failed + await slow;
            });
        var host = new LocalWorkflowHost(registry, new LocalWorkflowOptions { MaxConcurrentActivities = 2 });

        var failure = await Assert.ThrowsAsync<WorkflowActivityFailedException>(() => host.RunAsync<int>("both", "run-1", 0, _ => { }));

        Assert.Contains("boom", failure.FailureMessage, StringComparison.Ordinal);
        Assert.True(slowStopped.Task.IsCompleted, "The run reported its failure while another of its activities was still running.");
    }

    [Fact]
    public async Task A_verification_difference_says_that_a_rerun_would_not_recopy_and_what_does()
    {
        var activities = new ScriptedActivities(seed: 7) { Different = [new QualifiedName("public", "orders")] };
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(activities), new LocalWorkflowOptions { MaxConcurrentActivities = 4 });

        var failure = await Assert.ThrowsAsync<VerificationMismatchException>(() =>
            host.RunAsync<PgMigration.Core.Workflow.Models.MigrationOutcome>(WorkflowNames.Migration, "verify-diff", new MigrationInput { Id = "verify-diff", Source = "source", Target = "target" }, _ => { }));

        Assert.Contains("public.orders: source has 5 rows, target 4", failure.Message, StringComparison.Ordinal);
        Assert.Contains("does not copy them again", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TRUNCATE", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_that_continues_as_new_runs_again_with_the_new_input_and_a_new_history_and_returns_the_last_runs_output()
    {
        var recorder = new WorkflowRecorder();
        var registry = new WorkflowRegistry()
            .AddActivity<int, int>("double", (n, _) => Task.FromResult(n * 2))
            .AddWorkflow<int, int>("grow", async (context, n) =>
            {
                var doubled = await context.CallActivityAsync<int>("double", n);
                if (doubled < 100)
                {
                    context.ContinueAsNew(doubled);
                    return -1;
                }

                return doubled;
            });
        var host = new LocalWorkflowHost(registry, new LocalWorkflowOptions { Recorder = recorder });

        var output = await host.RunAsync<int>("grow", "grow-1", 3, _ => { });

        Assert.Equal(192, output);
        Assert.Equal("96", recorder.Histories["grow-1"].InputJson);
        Assert.Single(recorder.Histories["grow-1"].Decisions, d => d.Kind == WorkflowEventKind.ActivityScheduled);
    }
}
