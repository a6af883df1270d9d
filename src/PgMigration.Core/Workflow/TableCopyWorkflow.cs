using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// Copies every chunk of one large table, so that the parent's history holds one entry for the table
/// instead of one per chunk.
/// </summary>
public static class TableCopyWorkflow
{
    public static async Task<ChunkCopied> RunAsync(IWorkflowContext context, TableCopyWork work)
    {
        var done = 0;
        var chunks = Enumerable.Range(0, work.Table.Chunks).ToList();
        var results = await ThrottledFanOut.RunAsync(
            chunks,
            work.Parallelism,
            _ => 1,
            chunk => MigrationWorkflow.CopyChunkAsync(
                context,
                new ChunkWork(work.MigrationId, work.PlanId, work.Source, work.Target, work.Table.Index, work.Table.Name, chunk, work.BatchSize)),
            (_, _) =>
            {
                context.SetCustomStatus(new WorkflowProgress(MigrationPhase.Data, ++done, chunks.Count));
                return [];
            });
        return new ChunkCopied(results.Sum(r => r.Rows), results.Sum(r => r.Bytes));
    }
}
