using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PgMigration.Cli.Progress;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Verification;

namespace PgMigration.Cli.Commands;

/// <summary>Everything `migrate` has prepared by the time the data path takes over.</summary>
internal sealed record MigrationSession(
    MigrateOptions Options,
    ConnectionSpec SourceSpec,
    ConnectionSpec TargetSpec,
    NpgsqlDataSource Source,
    NpgsqlDataSource Target,
    DatabaseCatalog Catalog,
    CatalogFilter Filter,
    SchemaScript Script,
    TextWriter Output,
    TextWriter Error);

/// <summary>
/// `migrate --mode data|all`: pre-data (all), rows, post-data in stages, ANALYZE, verification. Every
/// phase records its progress in the checkpoint store, so running the same command again after a
/// crash, kill or cancel continues where it stopped.
/// </summary>
internal static class DataMigration
{
    private const string PreDataDocument = "pre-data";

    public static async Task<int> RunAsync(MigrationSession session, CancellationToken cancellationToken = default)
    {
        var (options, error) = (session.Options.Data ?? new DataPhaseOptions(), session.Error);
        DataPhaseOptionSet.Validate(options);
        var store = CheckpointStoreFactory.Create(options.Checkpoints ?? DefaultCheckpointFolder(session.SourceSpec, session.TargetSpec));
        await error.WriteLineAsync($"Checkpoints: {store.Location} (run the same command again to resume)");
        var retry = ResiliencePolicy.Create(onRetry: message => error.WriteLine($"  retrying: {message}"));
        var total = Stopwatch.StartNew();
        var phases = new List<string>();
        var phase = Stopwatch.StartNew();
        void EndPhase(string name)
        {
            phases.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {phase.Elapsed.TotalSeconds:0.00}s"));
            phase.Restart();
        }

        if (session.Options.Mode == MigrationMode.All)
        {
            await ApplyPreDataOnceAsync(session, store, cancellationToken);
            EndPhase("pre-data");
        }

        var copyOptions = new DataCopyOptions
        {
            Parallelism = options.Parallelism,
            BatchSize = options.BatchSize,
            // At least four chunks per worker, so one big table does not leave the others idle.
            Planner = new ChunkPlannerOptions { ChunkBytes = options.ChunkMegabytes * 1024L * 1024, MinimumChunks = options.Parallelism * 4 },
            Tables = new TableLayoutReaderOptions { Include = (schema, name) => session.Filter.IncludesRelation(new QualifiedName(schema, name)) },
            DropLedgerWhenDone = false,
            OnMessage = message => error.WriteLine($"  retrying: {message}"),
        };
        var planner = new DataCopyRunner(session.Source, session.Target, store, copyOptions);
        var plan = await planner.LoadOrCreatePlanAsync(session.SourceSpec.Display, cancellationToken);
        var fromSnapshot = options.Snapshot ? ", from one snapshot" : string.Empty;
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data: {plan.Tables.Count} tables in {plan.Chunks.Count} chunks, ~{plan.Tables.Sum(t => t.EstimatedBytes) / 1e6:N0} MB, {options.Parallelism} at a time{fromSnapshot}"));

        await using var snapshot = options.Snapshot ? await SourceSnapshot.ExportAsync(session.Source, cancellationToken) : null;
        EndPhase("plan");
        var postData = session.Options.Mode == MigrationMode.All
            ? session.Script.PostData.Where(s => !IsTableCreation(s)).ToList()
            : session.Script.InStage(SchemaStage.SequenceValues).ToList();
        var postDataRunner = new PostDataRunner(session.Target, new PostDataOptions
        {
            PlanId = plan.Id,
            Parallelism = options.Parallelism,
            Retry = retry,
            OnStepApplied = applied =>
            {
                if (applied.Number == applied.Total || applied.Number % 50 == 0)
                {
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {applied.Number}/{applied.Total} post-data steps ({applied.Elapsed.TotalSeconds:0.0}s)"));
                }
            },
        });

        await CopyLedger.EnsureAsync(session.Target, cancellationToken);
        var view = new CopyProgressView(plan, error, CopyProgressView.IsTerminal);
        using var stopEarlyIndexes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var earlyIndexes = new EarlyIndexBuilder(plan, postData, postDataRunner, Math.Max(1, options.Parallelism / 2), stopEarlyIndexes.Token);
        var runner = new DataCopyRunner(session.Source, session.Target, store, copyOptions with
        {
            SnapshotId = snapshot?.Id,
            OnProgress = progress =>
            {
                view.Report(progress);
                earlyIndexes.Report(progress);
            },
        });
        var watch = Stopwatch.StartNew();
        using (var stopDrawing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var drawing = view.RunAsync(stopDrawing.Token);
            try
            {
                await runner.CopyAsync(plan, cancellationToken);
            }
            catch
            {
                await stopEarlyIndexes.CancelAsync();
                await earlyIndexes.WhenStoppedAsync();
                throw;
            }
            finally
            {
                await stopDrawing.CancelAsync();
                await drawing;
            }
        }

        var dataSeconds = watch.Elapsed.TotalSeconds;
        EndPhase("data");
        await error.WriteLineAsync($"Post-data: {postData.Count} steps (keys and indexes {options.Parallelism} at a time, then foreign keys, triggers, security, refreshes, sequences) ...");
        await earlyIndexes.WhenDoneAsync();
        await postDataRunner.RunAsync(postData, cancellationToken);
        EndPhase("post-data");
        await CopyLedger.DropAsync(session.Target, cancellationToken);

        await AnalyzeAsync(session.Target, plan, options.Parallelism, cancellationToken);
        EndPhase("analyze");

        await error.WriteLineAsync("Verifying row counts and checksums ...");
        var report = await DataVerifier.VerifyAsync(
            session.Source, session.Target, plan, new VerificationOptions { Parallelism = options.Parallelism, SourceSnapshotId = snapshot?.Id }, cancellationToken);
        EndPhase("verify");
        await session.Output.WriteAsync(view.Summary());
        await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data phase: {view.TotalRows:N0} rows, {view.TotalBytes / 1e6:N1} MB in {dataSeconds:0.00}s"));
        await session.Output.WriteAsync(report.Render());
        if (!report.AllMatch)
        {
            await error.WriteLineAsync(
                $"error: verification failed for {string.Join(", ", report.Mismatches.Select(t => t.Table))}. " +
                "If the source changed during the copy, run again with --snapshot; otherwise inspect those tables.");
            return ExitCodes.MigrationFailed;
        }

        await session.Output.WriteLineAsync($"Phases: {string.Join(", ", phases)}");
        await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Migrated {session.SourceSpec.Display} to {session.TargetSpec.Display} in {total.Elapsed.TotalSeconds:0.0}s."));
        return ExitCodes.Success;
    }

    // Pre-data runs in one transaction, so after a kill it either fully exists on the target or not at all.
    private static async Task ApplyPreDataOnceAsync(MigrationSession session, ICheckpointStore store, CancellationToken cancellationToken)
    {
        var state = await store.ReadDocumentAsync(PreDataDocument, cancellationToken);
        if (state == "applied")
        {
            await session.Error.WriteLineAsync("Pre-data: already applied by an earlier run.");
            return;
        }

        var steps = session.Script.PreData.Concat(session.Script.PostData.Where(IsTableCreation)).ToList();
        List<SchemaStep> kept;
        try
        {
            kept = await MigrateCommand.CheckTargetAsync(
                session.Target, session.TargetSpec, session.Catalog, session.Script, steps, session.Options.SkipExisting, session.Error, cancellationToken);
        }
        catch (UsageException) when (state == "started")
        {
            // The run that wrote "started" found no conflicts; the objects there now are its committed pre-data.
            await store.WriteDocumentAsync(PreDataDocument, "applied", cancellationToken);
            await session.Error.WriteLineAsync("Pre-data: committed by an earlier run that stopped before recording it.");
            return;
        }

        await store.WriteDocumentAsync(PreDataDocument, "started", cancellationToken);
        await session.Error.WriteLineAsync($"Pre-data: {kept.Count} steps in one transaction ...");
        var pipeline = ResiliencePolicy.Create(onRetry: message => session.Error.WriteLine($"  retrying: {message}"));
        await pipeline.ExecuteAsync(async ct => await new SchemaApplier(session.Target).ApplyAsync(kept, new SchemaApplyOptions { SingleTransaction = true }, ct), cancellationToken);
        await store.WriteDocumentAsync(PreDataDocument, "applied", cancellationToken);
    }

    // Rows need their tables before the data phase, even a table the script defers behind a post-data
    // object (CREATE TABLE itself never needs a key, index or trigger to exist).
    private static bool IsTableCreation(SchemaStep step) => step.Kind == SchemaObjectKind.Table;

    private static async Task AnalyzeAsync(NpgsqlDataSource target, DataPlan plan, int parallelism, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            plan.Tables,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (table, ct) =>
            {
                await using var command = target.CreateCommand($"ANALYZE {table.QualifiedName}");
                await command.ExecuteNonQueryAsync(ct);
            });
    }

    private static string DefaultCheckpointFolder(ConnectionSpec source, ConnectionSpec target)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source.Display}\n{target.Display}")))[..10];
        return Path.Combine(Environment.CurrentDirectory, ".pgmigrate", $"{Slug(source.Builder.Database)}-to-{Slug(target.Builder.Database)}-{id}");
    }

    private static string Slug(string? name) =>
        new((name ?? "db").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
}
