using System.CommandLine;
using PgMigration.Core.Workflow;

namespace PgMigration.Cli.Commands;

/// <summary>How `migrate --mode data|all` moves rows.</summary>
/// <param name="Checkpoints">Folder or blob container URL; null picks a folder under ./.pgmigrate named after the two databases.</param>
/// <param name="Snapshot">Read every chunk from one exported snapshot of the source (consistent copy of a live database).</param>
/// <param name="Online">Copy from a replication slot's snapshot, then follow the source's changes until `pgmigrate cutover`.</param>
public sealed record DataPhaseOptions(
    int Parallelism = MigrationLimits.DefaultParallelism,
    int BatchSize = MigrationLimits.DefaultBatchSize,
    string? Checkpoints = null,
    bool Snapshot = false,
    int? ChunkMegabytes = null,
    bool Online = false);

/// <summary>The command-line options behind <see cref="DataPhaseOptions"/>, described once.</summary>
internal sealed class DataPhaseOptionSet
{
    private readonly Option<int> _parallelism = new("--parallelism")
    {
        Description = "Chunks copied (and indexes built) at the same time, across all tables.",
        DefaultValueFactory = _ => MigrationLimits.DefaultParallelism,
    };

    private readonly Option<int> _batchSize = new("--batch-size")
    {
        Description = "Rows per batch: each batch is one target transaction followed by a checkpoint. " +
                      "The default is in practice one batch per chunk (--chunk-mb caps a batch).",
        DefaultValueFactory = _ => MigrationLimits.DefaultBatchSize,
    };

    private readonly Option<string> _checkpoints = new("--checkpoints")
    {
        Description = "Folder or blob container URL (https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX]) for checkpoints. " +
                      "Rerun with the same value to resume. Default: ./.pgmigrate/<source-db>-to-<target-db>-<id>.",
    };

    private readonly Option<bool> _snapshot = new("--snapshot")
    {
        Description = "Read every table from one snapshot of the source, exported at the start and held open: a consistent copy of a live database.",
    };

    private readonly Option<bool> _online = new("--online")
    {
        Description = "Migrate a source that keeps taking writes: copy from a logical replication slot's snapshot, then apply the source's changes " +
                      "until `pgmigrate cutover` (needs wal_level = logical, replication rights, and a primary key or replica identity on every table).",
    };

    private readonly Option<int?> _chunkMegabytes = new("--chunk-mb")
    {
        Description = "Largest chunk (a unit of parallel work) in MB of table data: smaller tables copy whole, bigger ones in chunks of about this size. " +
                      $"Default: automatic, chunks of {MigrationLimits.DefaultChunkMegabytes} MB for the tables too big for the workers to share evenly whole.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_parallelism);
        command.Options.Add(_batchSize);
        command.Options.Add(_checkpoints);
        command.Options.Add(_snapshot);
        command.Options.Add(_chunkMegabytes);
        command.Options.Add(_online);
    }

    public DataPhaseOptions Read(ParseResult parse) => new(
        parse.GetValue(_parallelism),
        parse.GetValue(_batchSize),
        parse.GetValue(_checkpoints),
        parse.GetValue(_snapshot),
        parse.GetValue(_chunkMegabytes),
        parse.GetValue(_online));

    public static void Validate(DataPhaseOptions options)
    {
        if (options.Parallelism is < MigrationLimits.MinParallelism or > MigrationLimits.MaxParallelism)
        {
            throw new UsageException(
                $"--parallelism {options.Parallelism} is out of range: use {MigrationLimits.MinParallelism} to {MigrationLimits.MaxParallelism} " +
                "(about twice the cores of the smaller server is a good start).");
        }

        if (options.BatchSize is < MigrationLimits.MinBatchSize or > MigrationLimits.MaxBatchSize)
        {
            throw new UsageException($"--batch-size {options.BatchSize} is out of range: use {MigrationLimits.MinBatchSize} to {MigrationLimits.MaxBatchSize} rows.");
        }

        if (options.Online && options.Snapshot)
        {
            throw new UsageException("--online copies from its replication slot's own snapshot: leave out --snapshot.");
        }

        if (options.ChunkMegabytes is < MigrationLimits.MinChunkMegabytes or > MigrationLimits.MaxChunkMegabytes)
        {
            throw new UsageException($"--chunk-mb {options.ChunkMegabytes} is out of range: use {MigrationLimits.MinChunkMegabytes} to {MigrationLimits.MaxChunkMegabytes}.");
        }
    }
}
