using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

/// <summary>A source database with rows, a target with the same tables and none, and a checkpoint folder.</summary>
internal sealed class CopyScenario : IAsyncDisposable
{
    private CopyScenario(TestDatabase source, TestDatabase target, string checkpointFolder)
    {
        Source = source;
        Target = target;
        CheckpointFolder = checkpointFolder;
        SourceData = DataSourceFactory.Create(ConnectionSpec.Parse("source", source.ConnectionString));
        TargetData = DataSourceFactory.Create(ConnectionSpec.Parse("target", target.ConnectionString));
        Checkpoints = new FolderCheckpointStore(checkpointFolder);
    }

    public TestDatabase Source { get; }

    public TestDatabase Target { get; }

    public string CheckpointFolder { get; }

    public NpgsqlDataSource SourceData { get; }

    public NpgsqlDataSource TargetData { get; }

    public FolderCheckpointStore Checkpoints { get; }

    public static async Task<CopyScenario> CreateAsync(string prefix, string schema, string rows, string? targetEncoding = null)
    {
        var source = await PostgresServer.CreateDatabaseAsync(prefix + "_src");
        var target = await PostgresServer.CreateDatabaseAsync(prefix + "_dst", targetEncoding);
        await source.ExecuteAsync(schema);
        await source.ExecuteAsync(rows);
        await target.ExecuteAsync(schema);
        var folder = Path.Combine(Path.GetTempPath(), $"pgmigrate-checkpoints-{Guid.NewGuid():N}");
        return new CopyScenario(source, target, folder);
    }

    public CopyRun Runner(CopyRunOptions? options = null) =>
        new(SourceData, TargetData, Checkpoints, options ?? new CopyRunOptions());

    public async Task<CopyRunResult> CopyAsync(CopyRunOptions? options = null)
    {
        var runner = Runner(options);
        var plan = await runner.LoadOrCreatePlanAsync(Source.Name);
        return await runner.CopyAsync(plan);
    }

    public Task<VerificationReport> VerifyAsync(DataPlan plan) => DataVerifier.VerifyAsync(SourceData, TargetData, plan);

    /// <summary>Every table whose chunks all carry a streamed hash, verified against the target's rows read back.</summary>
    public async Task<VerificationReport> VerifyStreamedAsync(DataPlan plan)
    {
        var tables = new List<TableVerification>();
        foreach (var table in plan.Tables)
        {
            var chunks = plan.Chunks.Where(c => c.Table == table.Id).ToList();
            var checkpoints = new List<ChunkCheckpoint?>();
            foreach (var chunk in chunks)
            {
                checkpoints.Add(await Checkpoints.ReadChunkAsync(chunk.Id));
            }

            if (StreamedVerifier.CanVerify(table, checkpoints))
            {
                tables.Add(await StreamedVerifier.VerifyAsync(TargetData, table, chunks, checkpoints, parallelism: 2));
            }
        }

        return new VerificationReport(tables);
    }

    /// <summary>Every row's text, in key order, hashed by the server: an independent check of the verifier.</summary>
    public static async Task<string> TableDigestAsync(TestDatabase database, string table, string orderBy) =>
        await database.ScalarAsync<string>($"SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY {orderBy})), 'empty') FROM {table} t");

    public async ValueTask DisposeAsync()
    {
        await SourceData.DisposeAsync();
        await TargetData.DisposeAsync();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        if (Directory.Exists(CheckpointFolder))
        {
            Directory.Delete(CheckpointFolder, recursive: true);
        }
    }
}
