using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow.Local;

/// <summary>
/// Runs migrations in this process for <c>pgmigrate serve</c> and <c>pgmigrate migrate</c>, keeping each
/// run's state the way Durable would report it.
/// </summary>
public sealed class LocalMigrationRunner(WorkflowRegistry registry, LocalWorkflowOptions options) : IMigrationRunner, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LocalRun> runs = new(StringComparer.Ordinal);

    public Task StartAsync(MigrationInput input, CancellationToken cancellationToken = default)
    {
        var run = new LocalRun(input.Id, DateTimeOffset.UtcNow);
        runs.AddOrUpdate(input.Id, run, (_, previous) => previous.IsActive
            ? throw new InvalidOperationException($"Migration '{input.Id}' is already running.")
            : run);
        run.Execution = Task.Run(() => ExecuteAsync(run, input), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Runs a migration to its end in the caller's flow; what the CLI's migrate does.</summary>
    public async Task<MigrationOutcome> RunAsync(MigrationInput input, Action<WorkflowProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var host = new LocalWorkflowHost(registry, options with { MaxConcurrentActivities = input.Parallelism });
        return await host.RunAsync<MigrationOutcome>(
            WorkflowNames.Migration,
            input.Id,
            input,
            status =>
            {
                if (status is WorkflowProgress progress)
                {
                    onProgress?.Invoke(progress);
                }
            },
            cancellationToken);
    }

    public Task<MigrationRun?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(runs.TryGetValue(id, out var run) ? run.Snapshot() : null);

    public Task<IReadOnlyList<MigrationRun>> ListAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MigrationRun>>([.. runs.Values.Select(run => run.Snapshot()).OrderByDescending(run => run.CreatedTime).Take(limit)]);

    public async Task CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        if (runs.TryGetValue(id, out var run))
        {
            await run.Cancellation.CancelAsync();
            await run.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until a started run has ended, whatever its outcome.</summary>
    public async Task WaitAsync(string id, CancellationToken cancellationToken = default)
    {
        if (runs.TryGetValue(id, out var run))
        {
            await run.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var run in runs.Values)
        {
            await run.Cancellation.CancelAsync();
            await run.WaitAsync(CancellationToken.None);
            run.Cancellation.Dispose();
        }
    }

    private async Task ExecuteAsync(LocalRun run, MigrationInput input)
    {
        run.Update(MigrationRuntimeStatus.Running);
        try
        {
            var outcome = await RunAsync(input, run.Report, run.Cancellation.Token);
            options.Logger.MigrationCompleted(input.Id, outcome.Tables, outcome.RowsCopied, outcome.BytesCopied, outcome.TablesVerified);
            run.Complete(outcome);
        }
        // Whatever a cancelled run's last activity threw (Npgsql reports a cancelled COPY as a failed write), it was cancelled.
        catch (Exception) when (run.Cancellation.IsCancellationRequested)
        {
            options.Logger.MigrationCancelled(input.Id);
            run.Update(MigrationRuntimeStatus.Terminated);
        }
        catch (Exception ex)
        {
            var failure = BoundedText.Message(ex.Message);
            options.Logger.MigrationFailed(input.Id, failure);
            run.Update(MigrationRuntimeStatus.Failed, failure, ex is VerificationMismatchException ? MigrationFailureKind.VerificationMismatch : MigrationFailureKind.Resumable);
        }
    }

    private sealed class LocalRun(string id, DateTimeOffset createdAt)
    {
        private readonly object gate = new();
        private MigrationRun state = new() { InstanceId = id, RuntimeStatus = MigrationRuntimeStatus.Pending, CreatedTime = createdAt, LastUpdatedTime = createdAt };

        public CancellationTokenSource Cancellation { get; } = new();

        public Task? Execution { get; set; }

        public bool IsActive => Snapshot().IsActive;

        public MigrationRun Snapshot()
        {
            lock (gate)
            {
                return state;
            }
        }

        public void Update(MigrationRuntimeStatus status, string? failure = null, MigrationFailureKind failureKind = MigrationFailureKind.Resumable)
        {
            lock (gate)
            {
                state = state with { RuntimeStatus = status, Failure = failure, FailureKind = failureKind, LastUpdatedTime = DateTimeOffset.UtcNow };
            }
        }

        public void Complete(MigrationOutcome outcome)
        {
            lock (gate)
            {
                state = state with { RuntimeStatus = MigrationRuntimeStatus.Completed, Output = outcome, LastUpdatedTime = DateTimeOffset.UtcNow };
            }
        }

        public void Report(WorkflowProgress progress)
        {
            lock (gate)
            {
                state = state with { CustomStatus = progress, LastUpdatedTime = DateTimeOffset.UtcNow };
            }
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            if (Execution is { } execution)
            {
                await execution.WaitAsync(cancellationToken);
            }
        }
    }
}
