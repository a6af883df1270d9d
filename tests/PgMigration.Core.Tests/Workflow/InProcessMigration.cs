using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>The migration workflow run in this process between two test databases, checkpoints in a fresh folder unless named.</summary>
internal static class InProcessMigration
{
    public static async Task<MigrationOutcome> RunAsync(
        TestDatabase source,
        TestDatabase target,
        MigrationInput input,
        Action<ChunkProgress>? onChunkProgress = null,
        string? checkpointsLocation = null,
        Action<PreDataBatchApplied>? onPreDataBatchApplied = null,
        Action<WorkflowProgress>? onStatus = null,
        Action<IndexBuildProgress>? onIndexProgress = null)
    {
        await using var environment = new MigrationEnvironment(
            new NamedConnections(new Dictionary<string, string> { [input.Source] = source.ConnectionString, [input.Target] = target.ConnectionString }),
            new MigrationEnvironmentOptions
            {
                CheckpointsLocation = checkpointsLocation ?? Path.Combine(Path.GetTempPath(), $"pgmigrate-{input.Id}-{Guid.NewGuid():N}"),
                OnChunkProgress = onChunkProgress,
                OnPreDataBatchApplied = onPreDataBatchApplied,
                OnIndexProgress = onIndexProgress,
                IndexProgressInterval = TimeSpan.FromMilliseconds(50),
            });
        var host = new LocalWorkflowHost(WorkflowRegistry.ForMigrations(environment.Activities), new LocalWorkflowOptions());
        return await host.RunAsync<MigrationOutcome>(WorkflowNames.Migration, input.Id, input, status => onStatus?.Invoke((WorkflowProgress)status!));
    }
}
