using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PgMigration.Core.Api;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Functions;

/// <summary><see cref="IMigrationRunner"/> over a <see cref="DurableTaskClient"/>: the migration id is the instance id.</summary>
internal sealed class DurableMigrationRunner(DurableTaskClient client) : IMigrationRunner
{
    // How long a cancel waits for the migration and its per-table orchestrations to be terminated.
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(60);

    // Whichever converter the worker was given, property names match case-insensitively.
    private static readonly JsonSerializerOptions CustomStatusJson = new(JsonSerializerDefaults.Web);

    public async Task StartAsync(MigrationInput input, CancellationToken cancellationToken = default) =>
        await client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.Migration, input, new StartOrchestrationOptions(input.Id), cancellationToken);

    public async Task<MigrationRun?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        // A backend that keeps the failure only as the output keeps its message but not its type.
        var failure = metadata.FailureDetails?.ErrorMessage ?? FailureOf(metadata);
        var mismatch = metadata.FailureDetails is { } details
            ? details.IsCausedBy<VerificationMismatchException>()
            : failure?.StartsWith(VerificationMismatchException.MessageStart, StringComparison.Ordinal) == true;
        return RunOf(metadata) with
        {
            Output = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? metadata.ReadOutputAs<MigrationOutcome>() : null,
            Failure = failure,
            FailureKind = mismatch ? MigrationFailureKind.VerificationMismatch : MigrationFailureKind.Resumable,
        };
    }

    /// <summary>
    /// Reads every instance of the task hub without inputs and outputs (a migration's output holds a line per
    /// table) and keeps the newest: no backend sorts a query by creation time.
    /// </summary>
    public async Task<IReadOnlyList<MigrationRun>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var newest = new PriorityQueue<OrchestrationMetadata, DateTimeOffset>();
        var query = new OrchestrationQuery { FetchInputsAndOutputs = false };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            // Per-table orchestrations are "{migration id}:{table}"; a migration id cannot hold ':'.
            if (instance.InstanceId.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            newest.Enqueue(instance, instance.CreatedAt);
            if (newest.Count > limit)
            {
                newest.Dequeue();
            }
        }

        return [.. newest.UnorderedItems.Select(item => RunOf(item.Element)).OrderByDescending(run => run.CreatedTime)];
    }

    /// <summary>
    /// Terminates the migration and every per-table orchestration of it (their ids start with the migration's),
    /// and returns once all of them have stopped. Terminating the children by id works on every backend: the
    /// Azure Storage one ignores a recursive terminate.
    /// </summary>
    public async Task CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CancelTimeout);
        await TerminateIfActiveAsync(id, timeout.Token);
        await client.WaitForInstanceCompletionAsync(id, timeout.Token);

        // A child the parent started just before it was terminated can still appear: look until none is active.
        while (true)
        {
            var active = new List<string>();
            var query = new OrchestrationQuery { InstanceIdPrefix = $"{id}:", Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended] };
            await foreach (var child in client.GetAllInstancesAsync(query).WithCancellation(timeout.Token))
            {
                active.Add(child.InstanceId);
            }

            if (active.Count == 0)
            {
                break;
            }

            foreach (var child in active)
            {
                await TerminateIfActiveAsync(child, timeout.Token);
                await client.WaitForInstanceCompletionAsync(child, timeout.Token);
            }
        }

        // Terminating stops the orchestrations, not activities in flight: those stop on the cancel record
        // MigrationApi wrote, within one watch interval. Answer after that, so that nothing of this run still
        // writes when the caller starts the same id again.
        await Task.Delay(2 * MigrationCancellation.WatchInterval, cancellationToken);
    }

    private static MigrationRun RunOf(OrchestrationMetadata metadata) => new()
    {
        InstanceId = metadata.InstanceId,
        Name = metadata.Name,
        RuntimeStatus = ToApi(metadata.RuntimeStatus),
        CreatedTime = metadata.CreatedAt,
        LastUpdatedTime = metadata.LastUpdatedAt,
        // Read here rather than with ReadCustomStatusAs, which refuses metadata queried without inputs and outputs.
        CustomStatus = metadata.SerializedCustomStatus is { } status ? JsonSerializer.Deserialize<WorkflowProgress>(status, CustomStatusJson) : null,
    };

    private async Task TerminateIfActiveAsync(string id, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
        if (metadata is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            await client.TerminateInstanceAsync(id, new TerminateInstanceOptions { Output = "cancelled", Recursive = true }, cancellationToken);
        }
    }

    // Some backends keep a failure only as the orchestration's output: the serialized failure details.
    private static string? FailureOf(OrchestrationMetadata metadata)
    {
        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Failed || metadata.SerializedOutput is not { Length: > 0 } output)
        {
            return null;
        }

        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(output);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("ErrorMessage", out var message)
                ? message.GetString()
                : json.RootElement.ValueKind == System.Text.Json.JsonValueKind.String ? json.RootElement.GetString() : output;
        }
        catch (System.Text.Json.JsonException)
        {
            return output;
        }
    }

    private static MigrationRuntimeStatus ToApi(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Pending => MigrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Completed => MigrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed => MigrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => MigrationRuntimeStatus.Terminated,
        _ => MigrationRuntimeStatus.Running,
    };
}
