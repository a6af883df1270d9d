using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Cli.Hosting;
using PgMigration.Cli.Progress;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;
using PgMigration.Core.Workflow.Models;
using WorkflowMode = PgMigration.Core.Workflow.MigrationMode;

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
    DataPlanning Planning,
    TextWriter Output,
    TextWriter Error);

/// <summary>
/// `migrate --mode data|all` runs the same workflow as the HTTP hosts (<see cref="MigrationWorkflow"/>),
/// in this process through <see cref="LocalMigrationRunner"/>: pre-data, rows (each table's keys and
/// indexes as soon as it is in), post-data, ANALYZE, verification. Every step records its progress in
/// the checkpoint store, so running the same command again after a crash, kill or cancel continues
/// where it stopped.
/// </summary>
internal static class DataMigration
{
    public static async Task<int> RunAsync(MigrationSession session, CancellationToken cancellationToken = default)
    {
        var (options, error) = (session.Options.Data ?? new DataPhaseOptions(), session.Error);
        DataPhaseOptionSet.Validate(options);
        var store = session.Planning.Store;
        await error.WriteLineAsync($"Checkpoints: {store.Location} (run the same command again to resume)");
        var total = Stopwatch.StartNew();

        // The plans are made here, as the workflow's plan step would, so that progress can be drawn from the
        // first batch and the catalog already read (with --owners-and-grants) is the one the DDL comes from;
        // the plan step then finds them stored and uses them.
        var mode = session.Options.Mode == MigrationMode.All ? WorkflowMode.All : WorkflowMode.Data;
        var input = new MigrationInput
        {
            Id = "migrate",
            Source = "source",
            Target = "target",
            Mode = mode,
            Include = session.Options.Include,
            Exclude = session.Options.Exclude,
            Parallelism = options.Parallelism,
            BatchSize = options.BatchSize,
            ChunkMegabytes = options.ChunkMegabytes,
            SkipExisting = session.Options.SkipExisting,
        };
        var planOptions = PlanOptions.Of(input);
        await planOptions.RefuseIfChangedAsync(store, $"use other --checkpoints to start a new migration (these are in {store.Location})", cancellationToken);
        var (planned, isNew) = await session.Planning.PlannedAsync();
        if (isNew && mode == WorkflowMode.Data)
        {
            // Nothing of this migration is stored yet: the target's tables are checked before anything is.
            await TargetPreflight.RefuseForDataAsync(session.Target, session.TargetSpec.Display, planned, cancellationToken);
            await TargetPreflight.RefuseUnknownRowsAsync(session.Target, session.TargetSpec.Display, store, planned, cancellationToken);
        }

        if (await SchemaPlanBuilder.ReadAsync(store, cancellationToken) is null)
        {
            // A new migration: the target is checked before anything of it is written, there or in the checkpoints.
            var schema = SchemaPlanBuilder.Build(session.Catalog, session.Filter, session.Script, mode, session.Options.SkipExisting);
            if (mode == WorkflowMode.All)
            {
                await TargetPreflight.RefuseAsync(session.Target, session.TargetSpec.Display, schema, cancellationToken);
            }

            await planOptions.StoreAsync(store, cancellationToken);
            await SchemaPlanBuilder.StoreOnceAsync(store, () => schema, cancellationToken);
        }

        var plan = await session.Planning.CompleteAsync(cancellationToken);
        // A snapshot lives as long as the run that exported it: rows a killed or failed run committed came from its own.
        var resumed = (await store.ListChunksAsync(cancellationToken)).Any(c => c.Rows > 0 || c.Done);
        var fromSnapshot = (options.Snapshot, resumed) switch
        {
            (false, _) => string.Empty,
            (true, false) => ", from one snapshot",
            (true, true) => ", the rest from a new snapshot (rows copied by the earlier run came from its own snapshot, so tables copied across both may not be consistent with each other)",
        };
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data: {plan.Tables.Count} tables in {plan.Chunks.Count} chunks, ~{plan.Tables.Sum(t => t.EstimatedBytes) / 1e6:N0} MB, {options.Parallelism} at a time{fromSnapshot}"));

        await using var snapshot = options.Snapshot ? await SourceSnapshot.ExportAsync(session.Source, cancellationToken) : null;
        var view = new CopyProgressView(plan, error, CopyProgressView.IsTerminal);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(new TextWriterLoggerProvider(error)));
        await using var environment = new MigrationEnvironment(
            new NamedConnections(new Dictionary<string, string> { ["source"] = session.Options.Source, ["target"] = session.Options.Target! }),
            new MigrationEnvironmentOptions
            {
                CheckpointsLocation = store.Location,
                CheckpointStore = _ => store,
                SourceSnapshotId = snapshot?.Id,
                OnChunkProgress = view.Report,
                DataSources = name => name switch { "source" => session.Source, "target" => session.Target, _ => null },
                MaxPoolSize = Math.Max(32, options.Parallelism + 4),
                LoggerFactory = loggers,
            });
        var runner = new LocalMigrationRunner(
            WorkflowRegistry.ForMigrations(environment.Activities),
            new LocalWorkflowOptions { Logger = loggers.CreateLogger<LocalMigrationRunner>() });

        var phases = new PhaseTimes(error);
        MigrationOutcome outcome;
        using (var stopDrawing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var drawing = Task.CompletedTask;
            try
            {
                outcome = await runner.RunAsync(
                    input,
                    progress =>
                    {
                        // The bars end with the data phase: their last frame is drawn before the next phase's
                        // label, instead of being redrawn below it for the rest of the run.
                        if (progress.Phase != MigrationWorkflow.Phases.Data && !drawing.IsCompleted)
                        {
                            stopDrawing.Cancel();
                            drawing.GetAwaiter().GetResult();
                        }

                        if (phases.Enter(progress.Phase) && progress.Phase == MigrationWorkflow.Phases.Data)
                        {
                            drawing = Task.Run(() => view.RunAsync(stopDrawing.Token), CancellationToken.None);
                        }
                    },
                    cancellationToken);
            }
            finally
            {
                await stopDrawing.CancelAsync();
                await drawing;
            }
        }

        await session.Output.WriteAsync(view.Summary());
        await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data phase: {view.TotalRows:N0} rows, {view.TotalBytes / 1e6:N1} MB{(view.ResumedBytes > 0 ? $" ({view.ResumedBytes / 1e6:N1} MB of it copied by an earlier run)" : string.Empty)} in {phases.Seconds(MigrationWorkflow.Phases.Data):0.00}s (rows copied in {view.CopySeconds:0.00}s)"));
        await session.Output.WriteAsync(RenderVerification(outcome.Verified));
        await session.Output.WriteLineAsync($"Phases: {phases}");
        await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Migrated {session.SourceSpec.Display} to {session.TargetSpec.Display} in {total.Elapsed.TotalSeconds:0.0}s."));
        return ExitCodes.Success;
    }

    // The workflow fails when a table differs, so what reaches here matched.
    private static string RenderVerification(IReadOnlyList<TableVerified> tables)
    {
        var width = Math.Max(5, tables.Count == 0 ? 0 : tables.Max(t => t.Table.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"table".PadRight(width)}  {"source rows",12}  {"target rows",12}  result");
        foreach (var table in tables)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{table.Table.PadRight(width)}  {table.SourceRows,12:N0}  {table.TargetRows,12:N0}  {(table.Equal ? "ok" : "MISMATCH")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{tables.Count} tables verified: row counts and checksums match.");
        return text.ToString();
    }

    /// <summary>How long each phase of the workflow took, announced as it starts (the benchmark reads the summary line).</summary>
    private sealed class PhaseTimes(TextWriter error)
    {
        private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
        {
            [MigrationWorkflow.Phases.Planning] = "plan",
            [MigrationWorkflow.Phases.Finishing] = "finish",
        };

        private readonly List<(string Name, double Seconds)> done = [];
        private readonly Stopwatch watch = Stopwatch.StartNew();
        private string? current;

        /// <summary>True when <paramref name="phase"/> is a new phase.</summary>
        public bool Enter(string phase)
        {
            if (phase == current)
            {
                return false;
            }

            if (current is not null)
            {
                done.Add((Names.GetValueOrDefault(current, current), watch.Elapsed.TotalSeconds));
            }

            watch.Restart();
            current = phase;
            if (phase != MigrationWorkflow.Phases.Completed)
            {
                error.WriteLine($"{char.ToUpperInvariant(phase[0])}{phase[1..]} ...");
            }

            return true;
        }

        public double Seconds(string phase) => done.Where(d => d.Name == Names.GetValueOrDefault(phase, phase)).Sum(d => d.Seconds);

        public override string ToString() =>
            string.Join(", ", done.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Name} {d.Seconds:0.00}s")));
    }
}
