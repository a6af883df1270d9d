using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Cli.Hosting;
using PgMigration.Cli.Progress;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Online;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Local;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Cli.Commands;

/// <summary>What `migrate` has in hand when the workflow takes over: parsed options and signed-in connections.</summary>
internal sealed record MigrationSession(
    MigrateOptions Options,
    ConnectionSpec SourceSpec,
    ConnectionSpec TargetSpec,
    NpgsqlDataSource Source,
    NpgsqlDataSource Target,
    TextWriter Output,
    TextWriter Error);

/// <summary>
/// `migrate` runs the same workflow as the HTTP hosts (<see cref="MigrationWorkflow"/>), for every mode, in
/// this process through <see cref="LocalMigrationRunner"/>: its plan step reads the catalog, checks the
/// target and stores the plans; then pre-data, rows (each table's keys and indexes as soon as it is in),
/// post-data, ANALYZE, verification. Every step records its progress in the checkpoint store, so running
/// the same command again after a crash, kill or cancel continues where it stopped. This class only renders.
/// </summary>
internal static class WorkflowMigration
{
    /// <summary>
    /// Set to <c>off</c>, the copy reports committed batches only, without counting the rows a batch in flight
    /// has streamed: bench/run.sh times the copy both ways to show what the counting costs.
    /// </summary>
    public const string StreamedProgressVariable = "PGMIGRATE_STREAMED_PROGRESS";

    public static async Task<int> RunAsync(MigrationSession session, CancellationToken cancellationToken = default)
    {
        var (options, error) = (session.Options.Data ?? new DataPhaseOptions(), session.Error);
        var store = CheckpointStoreFactory.Create(options.Checkpoints ?? CheckpointFolder.Default(session.SourceSpec, session.TargetSpec));
        await error.WriteLineAsync($"Checkpoints: {store.Location} (run the same command again to resume)");
        var total = Stopwatch.StartNew();
        var input = new MigrationInput
        {
            Id = "migrate",
            Source = "source",
            Target = "target",
            Mode = session.Options.Mode,
            Include = session.Options.Include,
            Exclude = session.Options.Exclude,
            Parallelism = options.Parallelism,
            BatchSize = options.BatchSize,
            ChunkMegabytes = options.ChunkMegabytes,
            SkipExisting = session.Options.SkipExisting,
            OwnersAndGrants = session.Options.OwnersAndGrants,
            Online = options.Online,
        };

        await using var snapshot = options.Snapshot && input.Mode != MigrationMode.Schema ? await SourceSnapshot.ExportAsync(session.Source, cancellationToken) : null;
        CopyProgressView? view = null;

        // What the terminal shows is rendered in the order it happened, off the workflow's threads: the workflow
        // never waits for the terminal or for a checkpoint read, and its I/O completions may run where it reports
        // (see Program), where blocking on more I/O could wait forever. Chunk progress takes the same queue, so
        // no batch reported before the data view exists is lost.
        var updates = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });

        // Whether rows an earlier run committed are there, asked before this run adds any.
        var resumedSnapshot = options.Snapshot && input.Mode != MigrationMode.Schema && (await store.ListChunksAsync(cancellationToken)).Any(c => c.Rows > 0 || c.Done);
        var following = new FollowProgressLines(error);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(new TextWriterLoggerProvider(error)));
        await using var environment = new MigrationEnvironment(
            // The connections signed in with: a password from a file or the terminal reaches the replication connection too.
            new NamedConnections([session.SourceSpec, session.TargetSpec]),
            new MigrationEnvironmentOptions
            {
                CheckpointsLocation = store.Location,
                CheckpointStore = _ => store,
                SourceSnapshotId = snapshot?.Id,
                OnChunkProgress = progress => updates.Writer.TryWrite(() =>
                {
                    view?.Report(progress);
                    return Task.CompletedTask;
                }),
                OnIndexProgress = progress => view?.IndexBuilding(progress),
                ReportStreamedProgress = Environment.GetEnvironmentVariable(StreamedProgressVariable) != "off",
                OnReplicationProgress = following.Report,
                DataSources = name => name switch { "source" => session.Source, "target" => session.Target, _ => null },
                MaxPoolSize = Math.Max(32, options.Parallelism + 4),
                LoggerFactory = loggers,
            });
        var runner = new LocalMigrationRunner(
            WorkflowRegistry.ForMigrations(environment.Activities),
            new LocalWorkflowOptions { Logger = loggers.CreateLogger<LocalMigrationRunner>() });

        var phases = new PhaseTimes(error);
        SchemaPlan? schema = null;
        var phaseLine = new PhaseProgressLine(error, CopyProgressView.IsTerminal);
        var cutoverHint = $"Following the source's changes. To cut over, run: pgmigrate cutover --checkpoints {store.Location} [--lock-source]";
        MigrationOutcome outcome;
        using (var stopDrawing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var drawing = Task.CompletedTask;
            var rendering = Task.CompletedTask;
            try
            {
                rendering = RenderInOrderAsync(updates.Reader);
                outcome = await runner.RunAsync(input, progress => updates.Writer.TryWrite(() => ShowAsync(progress)), cancellationToken);
            }
            finally
            {
                updates.Writer.TryComplete();
                try
                {
                    await rendering;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Cancelled mid-render: what the run itself says about the cancel is what counts.
                }
                await stopDrawing.CancelAsync();
                await drawing;
                phaseLine.End();
            }

            async Task ShowAsync(WorkflowProgress progress)
            {
                // The bars end with the data phase: their last frame is drawn before the next phase's
                // label, instead of being redrawn below it for the rest of the run.
                if (progress.Phase != MigrationPhase.Data && !drawing.IsCompleted)
                {
                    await stopDrawing.CancelAsync();
                    await drawing;
                }

                var planned = phases.Current == MigrationPhase.Planning;
                if (progress.Phase != phases.Current)
                {
                    phaseLine.End();
                }

                if (phases.Enter(progress.Phase))
                {
                    // The plan step has stored what it planned by the time the workflow moves on from it.
                    if (planned)
                    {
                        schema = await SchemaPlanBuilder.ReadAsync(store, cancellationToken);
                        foreach (var leftOut in schema?.LeftOut ?? [])
                        {
                            await error.WriteLineAsync(leftOut);
                        }
                    }

                    if (progress.Phase == MigrationPhase.Follow)
                    {
                        await error.WriteLineAsync(cutoverHint);
                    }

                    if (progress.Phase == MigrationPhase.Data)
                    {
                        view = await StartDataViewAsync(store, options, resumedSnapshot, error, cancellationToken);
                        drawing = Task.Run(() => view.RunAsync(stopDrawing.Token), CancellationToken.None);
                    }
                }

                if (progress.Phase == MigrationPhase.Data)
                {
                    view?.Working(progress.Running);
                }
                else
                {
                    phaseLine.Show(progress);
                }
            }
        }

        if (view is not null)
        {
            await session.Output.WriteAsync(view.Summary());
            await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Data phase: {view.TotalRows:N0} rows, {view.TotalBytes / 1e6:N1} MB{(view.ResumedBytes > 0 ? $" ({view.ResumedBytes / 1e6:N1} MB of it copied by an earlier run)" : string.Empty)} in {phases.Seconds(MigrationPhase.Data):0.00}s (rows copied in {view.CopySeconds:0.00}s)"));
        }

        if (input.Mode != MigrationMode.Schema)
        {
            await session.Output.WriteAsync(RenderVerification(outcome.Verified));
        }

        if (outcome.Cutover is { } cutover)
        {
            await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Cut over: {cutover.Progress.ChangesApplied:N0} changes applied while following; downtime window {cutover.DowntimeSeconds:0.00}s " +
                $"({(cutover.SourceLocked ? "the source's tables were read-only" : "writes to the source had to be stopped")}, from the cut over's start to the slot's drop)."));
        }
        else if (schema is not null)
        {
            await session.Output.WriteLineAsync(
                $"Schema migrated to {session.TargetSpec.Display}: {schema.PreData.Count} pre-data and {schema.PostDataGroups.Sum(g => g.Count)} post-data steps; " +
                (schema.LeftOut.Count == 0 ? "nothing left out." : $"{schema.LeftOut.Count} object(s) left out (listed above)."));
        }

        await session.Output.WriteLineAsync($"Phases: {phases}");
        await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Migrated {session.SourceSpec.Display} to {session.TargetSpec.Display} in {total.Elapsed.TotalSeconds:0.0}s."));
        return ExitCodes.Success;
    }

    private static async Task RenderInOrderAsync(ChannelReader<Func<Task>> updates)
    {
        await foreach (var update in updates.ReadAllAsync())
        {
            await update();
        }
    }

    // Drawn from the plan the plan step stored, so the bars move from the first batch on.
    private static async Task<CopyProgressView> StartDataViewAsync(ICheckpointStore store, DataPhaseOptions options, bool resumedSnapshot, TextWriter error, CancellationToken cancellationToken)
    {
        var json = await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken)
            ?? throw new InvalidOperationException($"The data phase began without a data plan in {store.Location}.");
        var plan = DataPlan.FromJson(json);

        // A snapshot lives as long as the run that exported it: rows a killed or failed run committed came from its own.
        var fromSnapshot = options.Online ? ", from the replication slot's snapshot" : string.Empty;
        if (options.Snapshot)
        {
            fromSnapshot = resumedSnapshot
                ? ", the rest from a new snapshot (rows copied by the earlier run came from its own snapshot, so tables copied across both may not be consistent with each other)"
                : ", from one snapshot";
        }

        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Data: {plan.Tables.Count} tables with rows in {plan.Chunks.Count} chunks, ~{plan.Tables.Sum(t => t.EstimatedBytes) / 1e6:N1} MB of table data (indexes are built after){LargeObjects(plan)}, {options.Parallelism} at a time{fromSnapshot}"));
        return new CopyProgressView(plan, error, CopyProgressView.IsTerminal);
    }

    private static string LargeObjects(DataPlan plan) => plan.LargeObjects is { } largeObjects
        ? string.Create(CultureInfo.InvariantCulture, $", {largeObjects.Layout.EstimatedRows:N0} large objects in {largeObjects.Sets.Count} sets")
        : string.Empty;

    // The workflow fails when a table differs, so what reaches here matched.
    private static string RenderVerification(IReadOnlyList<TableVerified> tables)
    {
        var width = Math.Max(5, tables.Count == 0 ? 0 : tables.Max(t => t.Table.Sql.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"table".PadRight(width)}  {"source rows",12}  {"target rows",12}  result");
        foreach (var table in tables)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{table.Table.Sql.PadRight(width)}  {table.SourceRows,12:N0}  {table.TargetRows,12:N0}  {(table.Equal ? "ok" : "MISMATCH")}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{tables.Count} tables verified: row counts and checksums match.");
        return text.ToString();
    }

    /// <summary>How long each phase of the workflow took, announced as it starts (the benchmark reads the summary line).</summary>
    private sealed class PhaseTimes(TextWriter error)
    {
        private readonly List<(MigrationPhase Phase, double Seconds)> done = [];
        private readonly Stopwatch watch = Stopwatch.StartNew();

        public MigrationPhase? Current { get; private set; }

        /// <summary>True when <paramref name="phase"/> is a new phase.</summary>
        public bool Enter(MigrationPhase phase)
        {
            if (phase == Current)
            {
                return false;
            }

            if (Current is { } previous)
            {
                done.Add((previous, watch.Elapsed.TotalSeconds));
            }

            watch.Restart();
            Current = phase;
            if (phase != MigrationPhase.Completed)
            {
                var name = phase.Name();
                error.WriteLine($"{char.ToUpperInvariant(name[0])}{name[1..]} ...");
            }

            return true;
        }

        public double Seconds(MigrationPhase phase) => done.Where(d => d.Phase == phase).Sum(d => d.Seconds);

        // The summary line's names, which bench/ reads: "plan" and "finish" for planning and finishing.
        private static string Short(MigrationPhase phase) => phase switch
        {
            MigrationPhase.Planning => "plan",
            MigrationPhase.Finishing => "finish",
            _ => phase.Name(),
        };

        public override string ToString() =>
            string.Join(", ", done.Select(d => string.Create(CultureInfo.InvariantCulture, $"{Short(d.Phase)} {d.Seconds:0.00}s")));
    }
}
