using System.Collections.Concurrent;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;

namespace PgMigration.Cli.Commands;

/// <summary>
/// Builds a table's primary key, unique constraints and indexes as soon as its last chunk is copied,
/// while other tables are still loading, as pg_restore -j does: the tail of the data phase, when fewer
/// chunks remain than workers, is spent on index builds instead of idling. Steps on partitioned parents
/// wait for the post-data stage; the ledger makes the stage skip what was built here.
/// </summary>
internal sealed class EarlyIndexBuilder
{
    private readonly IReadOnlyList<SchemaStep> _steps;
    private readonly PostDataRunner _runner;
    private readonly SemaphoreSlim _gate;
    private readonly CancellationToken _cancellationToken;
    private readonly ConcurrentDictionary<string, int> _chunksLeft;
    private readonly ILookup<string, int> _stepsByTable;
    private readonly ConcurrentBag<Task> _builds = [];

    public EarlyIndexBuilder(DataPlan plan, IReadOnlyList<SchemaStep> steps, PostDataRunner runner, int parallelism, CancellationToken cancellationToken)
    {
        _steps = steps;
        _runner = runner;
        _gate = new SemaphoreSlim(parallelism, parallelism);
        _cancellationToken = cancellationToken;
        _chunksLeft = new ConcurrentDictionary<string, int>(
            plan.Tables.Select(t => KeyValuePair.Create(Key(t.Schema, t.Name), plan.Chunks.Count(c => c.Schema == t.Schema && c.Table == t.Name))),
            StringComparer.Ordinal);
        _stepsByTable = steps
            .Select((step, index) => (Step: step, Index: index))
            .Where(s => s.Step.Stage == SchemaStage.KeysAndIndexes && s.Step.Table is not null)
            .ToLookup(s => Key(s.Step.Table!.Schema, s.Step.Table.Name), s => s.Index, StringComparer.Ordinal);
    }

    public void Report(ChunkProgress progress)
    {
        var key = Key(progress.Chunk.Schema, progress.Chunk.Table);
        if (progress.ChunkDone && _chunksLeft.AddOrUpdate(key, 0, (_, left) => left - 1) == 0 && _stepsByTable.Contains(key))
        {
            _builds.Add(BuildAsync(key));
        }
    }

    /// <summary>Waits for every build started; a failed build fails here, naming its object and SQL.</summary>
    public Task WhenDoneAsync() => Task.WhenAll(_builds);

    /// <summary>Waits for the builds after a cancellation, without raising their errors over the one that stopped the run.</summary>
    public async Task WhenStoppedAsync()
    {
        try
        {
            await Task.WhenAll(_builds);
        }
        catch (Exception)
        {
            // The data phase's own failure is the one to report.
        }
    }

    private async Task BuildAsync(string table)
    {
        await _gate.WaitAsync(_cancellationToken);
        try
        {
            foreach (var index in _stepsByTable[table])
            {
                await _runner.ApplyStepAsync(_steps, index, _cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Key(string schema, string name) => $"{schema}\u0000{name}";
}
