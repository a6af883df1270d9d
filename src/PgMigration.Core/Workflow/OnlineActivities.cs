using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Online;
using PgMigration.Core.Schema;
using PgMigration.Core.Verification;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The activities of an online migration: start (checks, publication, slot and the snapshot the copy reads),
/// follow (a bounded run of the change stream) and cut over (catch up to a sentinel, sequences, verify, drop
/// the slot and publication). Each is safe to run again: the start finds its slot, the follow resumes from the
/// target's applied position, the cut over finds its own report.
/// </summary>
internal sealed class OnlineActivities(MigrationEnvironment environment, ILogger logger)
{
    /// <summary>How long a cut over may take to catch up before the attempt fails (and is retried).</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromMinutes(10);

    public async Task<OnlineStarted> StartAsync(OnlineWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var source = environment.DataSource(work.Source);
        var sourceSpec = environment.Connections.Resolve(work.Source);
        if (await OnlineStart.ReadAsync(store, cancellationToken) is { } existing)
        {
            if (await OnlineStart.IsCopiedAsync(store, cancellationToken) || environment.HeldSnapshots.Find(work.MigrationId, existing.SlotName) is not null)
            {
                return new OnlineStarted(existing.SlotName, existing.ConsistentLsn);
            }

            // The snapshot died with the process that held it, and rows copied from it cannot be matched to a
            // new slot's stream: the copy starts over, from a new slot and its snapshot.
            logger.OnlineSnapshotLost(work.MigrationId, existing.SlotName);
            await ReplicationSetup.DropAsync(source, existing.SlotName, existing.PublicationName, cancellationToken);
            await ResetCopyAsync(work, store, cancellationToken);
        }

        var plan = DataPlan.FromJson(await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken)
            ?? throw new MigrationRefusedException($"Migration {work.MigrationId} has no stored plan at {store.Location}."));
        var slot = ReplicationNames.Slot(work.MigrationId, sourceSpec.Builder.Database ?? string.Empty);
        var publication = ReplicationNames.Publication(work.MigrationId, sourceSpec.Builder.Database ?? string.Empty);
        var tables = await OnlineSourceCheck.RefuseAsync(source, sourceSpec.Display, slot, plan.Tables, cancellationToken);

        // Left over from a start that failed before it stored its record.
        await ReplicationSetup.DropAsync(source, slot, publication, cancellationToken);
        var (snapshot, consistentLsn) = await ReplicationSetup.CreateAsync(source, sourceSpec, environment.Options.Credential, slot, publication, tables, cancellationToken);
        await environment.HeldSnapshots.HoldAsync(work.MigrationId, snapshot);
        await new OnlineStart(work.Source, slot, publication, consistentLsn, tables).StoreAsync(store, cancellationToken);
        logger.OnlineStarted(work.MigrationId, slot, consistentLsn);
        return new OnlineStarted(slot, consistentLsn);
    }

    /// <summary>The snapshot a chunk of an online migration must read, or null when the migration is not online.</summary>
    public async Task<string?> SnapshotForCopyAsync(string migrationId, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(migrationId);
        if (await OnlineStart.ReadAsync(store, cancellationToken) is not { } start)
        {
            return null;
        }

        return environment.HeldSnapshots.Find(migrationId, start.SlotName)?.SnapshotName
            ?? throw new MigrationRefusedException(
                $"The snapshot the copy of online migration {migrationId} reads was held by a process that has stopped. " +
                "Run the migration again: it drops the replication slot and publication, empties the copied tables and copies them again from a new slot's snapshot.");
    }

    public async Task<ChangesFollowed> FollowAsync(OnlineWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var start = await StartOf(work, store, cancellationToken);
        if (await store.ReadDocumentAsync(CutoverRequest.DoneDocumentId, cancellationToken) is { } done)
        {
            // Cut over already (a run killed after it, run again): the slot is gone, there is nothing to follow.
            return new ChangesFollowed(WorkflowJson.Deserialize<CutoverReport>(done).Progress, CutoverRequested: true);
        }

        if (!await OnlineStart.IsCopiedAsync(store, cancellationToken))
        {
            // The copy is complete: the snapshot is not needed any more.
            await environment.HeldSnapshots.ReleaseAsync(work.MigrationId);
            await store.WriteDocumentAsync(OnlineStart.CopiedDocumentId, "done", cancellationToken);
        }

        var outcome = await FollowerOf(work, start).RunAsync(
            new FollowOptions
            {
                MaxDuration = TimeSpan.FromSeconds(work.MaxSeconds),
                StopRequested = async ct => await CutoverRequest.ReadAsync(store, ct) is not null,
                OnProgress = (progress, ct) => ReportAsync(store, progress, ct),
            },
            cancellationToken);
        return new ChangesFollowed(outcome.Progress, outcome.StopRequested);
    }

    public async Task<CutoverReport> CutOverAsync(OnlineWork work, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(work.MigrationId);
        var start = await StartOf(work, store, cancellationToken);
        var source = environment.DataSource(work.Source);
        var target = environment.DataSource(work.Target);
        if (await store.ReadDocumentAsync(CutoverRequest.DoneDocumentId, cancellationToken) is { } done)
        {
            await ReplicationSetup.DropAsync(source, start.SlotName, start.PublicationName, cancellationToken);
            return WorkflowJson.Deserialize<CutoverReport>(done);
        }

        var request = await CutoverRequest.ReadAsync(store, cancellationToken) ?? new CutoverRequest(DateTimeOffset.UtcNow, LockSource: false);
        var downtime = Stopwatch.StartNew();
        CutoverReport report;
        await using (var writeLock = request.LockSource ? await SourceWriteLock.AcquireAsync(source, start.Tables, cancellationToken) : null)
        {
            // Every commit before this message is in the stream before it: applying up to it is lag zero.
            var sentinel = await ChangeFollower.EmitAsync(source, "cutover", cancellationToken);
            var caughtUp = await FollowerOf(work, start).RunAsync(
                new FollowOptions { MaxDuration = CatchUpLimit, UntilLsn = sentinel, OnProgress = (progress, ct) => ReportAsync(store, progress, ct) },
                cancellationToken);
            if (!caughtUp.ReachedUntilLsn)
            {
                throw new TimeoutException($"The target did not catch up with the source within {CatchUpLimit.TotalMinutes:0} minutes ({caughtUp.Progress.Describe()}).");
            }

            await SetSequencesAsync(work, store, source, target, cancellationToken);
            var verified = await VerifyAsync(work, store, source, target, cancellationToken);
            var different = verified.Where(v => !v.Equal).ToList();
            if (different.Count > 0)
            {
                throw new VerificationMismatchException([.. different.Select(d => $"{d.Table}: {d.Detail}")]);
            }

            report = new CutoverReport(Math.Round(downtime.Elapsed.TotalSeconds, 2), request.LockSource, caughtUp.Progress with { LagBytes = 0, LagSeconds = 0 }, verified);
            await store.WriteDocumentAsync(CutoverRequest.DoneDocumentId, WorkflowJson.Serialize(report), cancellationToken);
            await ReplicationSetup.DropAsync(source, start.SlotName, start.PublicationName, cancellationToken);
        }

        report = report with { DowntimeSeconds = Math.Round(downtime.Elapsed.TotalSeconds, 2) };
        await store.WriteDocumentAsync(CutoverRequest.DoneDocumentId, WorkflowJson.Serialize(report), cancellationToken);
        logger.CutOver(work.MigrationId, report.DowntimeSeconds, request.LockSource);
        return report;
    }

    /// <summary>A cancelled online migration keeps nothing on the source: its slot (which holds WAL) and its publication are dropped.</summary>
    public async Task DropReplicationAsync(string migrationId, CancellationToken cancellationToken = default)
    {
        var store = environment.CheckpointsFor(migrationId);
        await environment.HeldSnapshots.ReleaseAsync(migrationId);
        if (await OnlineStart.ReadAsync(store, cancellationToken) is { } start)
        {
            await ReplicationSetup.DropAsync(environment.DataSource(start.Source), start.SlotName, start.PublicationName, cancellationToken);
        }
    }

    private ChangeFollower FollowerOf(OnlineWork work, OnlineStart start) => new(
        environment.DataSource(work.Source), environment.Connections.Resolve(work.Source), environment.Options.Credential, environment.DataSource(work.Target), start);

    private async Task ReportAsync(ICheckpointStore store, ReplicationProgress progress, CancellationToken cancellationToken)
    {
        environment.Options.OnReplicationProgress?.Invoke(progress);
        await progress.StoreAsync(store, cancellationToken);
    }

    private static async Task<OnlineStart> StartOf(OnlineWork work, ICheckpointStore store, CancellationToken cancellationToken) =>
        await OnlineStart.ReadAsync(store, cancellationToken)
            ?? throw new MigrationRefusedException($"Online migration {work.MigrationId} has no record of its replication slot at {store.Location}; its checkpoints were deleted while it ran. Cancel it and start again.");

    private async Task ResetCopyAsync(OnlineWork work, ICheckpointStore store, CancellationToken cancellationToken)
    {
        var plan = DataPlan.FromJson((await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken))!);
        var target = environment.DataSource(work.Target);
        await CopyLedger.EnsureAsync(target, cancellationToken);
        await using var batch = new NpgsqlBatch(await target.OpenConnectionAsync(cancellationToken));
        await using var connection = batch.Connection;
        if (plan.Tables.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"TRUNCATE {string.Join(", ", plan.Tables.Select(t => t.QualifiedName))}"));
        }

        // The chunks' records only: the post-data steps already applied (keys, indexes) stay, and so do theirs.
        var entries = plan.Chunks.Select(c => $"{plan.Id}/{c.Id}").ToArray();
        foreach (var ledger in new[] { CopyLedger.Table, CopyLedger.ProgressTable })
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {ledger} WHERE entry = ANY($1)");
            delete.Parameters.AddWithValue(entries);
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await store.DeleteChunksAsync(cancellationToken);
        await store.DeleteDocumentAsync(ReplicationProgress.DocumentId, cancellationToken);
    }

    private async Task SetSequencesAsync(OnlineWork work, ICheckpointStore store, NpgsqlDataSource source, NpgsqlDataSource target, CancellationToken cancellationToken)
    {
        var schema = await SchemaPlanBuilder.ReadAsync(store, cancellationToken);
        foreach (var step in schema?.PostDataGroups.SelectMany(g => g).Where(s => s.Kind == SchemaObjectKind.SequenceValue) ?? [])
        {
            var now = await SequenceValueStep.AsOfNowAsync(step, source, cancellationToken);
            await using var command = target.CreateCommand(now.Sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<TableVerified>> VerifyAsync(OnlineWork work, ICheckpointStore store, NpgsqlDataSource source, NpgsqlDataSource target, CancellationToken cancellationToken)
    {
        var plan = DataPlan.FromJson((await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken))!);
        var report = await DataVerifier.VerifyAsync(source, target, plan, new VerificationOptions { Parallelism = Math.Max(1, work.Parallelism) }, cancellationToken);
        return [.. report.Tables.Select(t => MigrationActivities.Verified(t)).OrderBy(t => t.Table.Sql, StringComparer.Ordinal)];
    }
}
