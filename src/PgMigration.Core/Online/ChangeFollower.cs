using System.Diagnostics;
using Azure.Core;
using Npgsql.Replication.PgOutput.Messages;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication;
using Npgsql;
using NpgsqlTypes;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;

namespace PgMigration.Core.Online;

/// <summary>
/// Streams an online migration's slot with pgoutput and applies the changes to the target in commit order
/// (<see cref="ChangeApplier"/>), for a bounded time. Commits of the source the target already has are
/// skipped, and the slot is acknowledged only up to what the target has committed, so a crash anywhere
/// loses nothing and applies nothing twice.
/// </summary>
internal sealed class ChangeFollower(NpgsqlDataSource source, ConnectionSpec sourceSpec, TokenCredential? credential, NpgsqlDataSource target, OnlineStart start)
{
    /// <summary>The prefix of the logical messages the engine writes to the source's WAL (heartbeats, cut-over sentinels).</summary>
    public const string MessagePrefix = "pgmigrate";

    private static readonly TimeSpan SlotReleaseTimeout = TimeSpan.FromSeconds(60);

    public async Task<FollowOutcome> RunAsync(FollowOptions options, CancellationToken cancellationToken = default)
    {
        var applied = await AppliedPosition.ReadAsync(target, start.SlotName, cancellationToken);
        await WaitUntilSlotIsFreeAsync(cancellationToken);
        await using var applier = new ChangeApplier(target, start, applied);
        await using var replication = await ReplicationConnector.OpenAsync(sourceSpec, credential, cancellationToken);
        using var stopStream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var startedChanges = applier.AppliedChanges;
        var clock = Stopwatch.StartNew();
        var stopRequested = false;
        var reachedUntil = false;
        var inTransaction = false;
        var skipping = false;
        var caughtUp = false;
        var received = false;
        var lastHeartbeat = TimeSpan.Zero;
        var lastProgress = TimeSpan.Zero;
        var lastStopCheck = TimeSpan.Zero;
        ReplicationProgress? progress = null;

        async Task AcknowledgeAsync(NpgsqlLogSequenceNumber lsn)
        {
            replication.SetReplicationStatus(lsn);
            await replication.SendStatusUpdate(cancellationToken);
        }

        async Task CommitAsync()
        {
            if (applier.HasPending)
            {
                await applier.CommitAsync(cancellationToken);
                await AcknowledgeAsync(applier.AppliedEndLsn!.Value);
            }
        }

        async Task ReportAsync(bool force)
        {
            if (!force && clock.Elapsed - lastProgress < options.ProgressInterval)
            {
                return;
            }

            lastProgress = clock.Elapsed;
            progress = await MeasureAsync(applier, caughtUp, (applier.AppliedChanges - startedChanges) / Math.Max(0.001, clock.Elapsed.TotalSeconds), cancellationToken);
            if (options.OnProgress is { } report)
            {
                await report(progress, cancellationToken);
            }
        }

        // A busy stream is never quiet: the request is looked for between transactions too, once a second.
        async Task LookForStopRequestAsync()
        {
            if (options.StopRequested is { } requested && clock.Elapsed - lastStopCheck >= TimeSpan.FromSeconds(1))
            {
                lastStopCheck = clock.Elapsed;
                stopRequested |= await requested(cancellationToken);
            }
        }

        bool WantsToStop() => stopRequested || reachedUntil ||
            (clock.Elapsed >= options.MaxDuration && (received || clock.Elapsed >= options.FirstMessageLimit));

        var messages = replication.StartReplication(
            new PgOutputReplicationSlot(start.SlotName),
            new PgOutputReplicationOptions(start.PublicationName, PgOutputProtocolVersion.V1, binary: false, messages: true),
            stopStream.Token,
            applied.EndLsn);
        await using var stream = messages.GetAsyncEnumerator(stopStream.Token);
        var next = Task.FromResult(false);
        while (true)
        {
            next = stream.MoveNextAsync().AsTask();
            while (!next.IsCompleted)
            {
                // Quiet: commit what is complete, look for a stop, and let the slot advance.
                if (!inTransaction)
                {
                    await CommitAsync();
                    await LookForStopRequestAsync();
                    if (WantsToStop())
                    {
                        break;
                    }

                    if (clock.Elapsed - lastHeartbeat >= options.HeartbeatInterval)
                    {
                        lastHeartbeat = clock.Elapsed;
                        await EmitAsync(source, "heartbeat", cancellationToken);
                    }
                }

                await ReportAsync(force: false);
                await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken));
            }

            if ((!inTransaction && WantsToStop()) || !await next)
            {
                break;
            }

            received = true;

            switch (stream.Current)
            {
                case BeginMessage begin:
                    inTransaction = true;
                    caughtUp = false;
                    skipping = applier.AlreadyApplied(begin.TransactionFinalLsn);
                    break;
                case RelationMessage relation:
                    applier.Relation(relation);
                    break;
                case InsertMessage insert when !skipping:
                    await applier.InsertAsync(insert, cancellationToken);
                    break;
                case UpdateMessage update when !skipping:
                    await applier.UpdateAsync(update, cancellationToken);
                    break;
                case DeleteMessage delete when !skipping:
                    await applier.DeleteAsync(delete, cancellationToken);
                    break;
                case TruncateMessage truncate when !skipping:
                    await applier.TruncateAsync(truncate, cancellationToken);
                    break;
                case CommitMessage commit:
                    inTransaction = false;
                    if (!skipping)
                    {
                        applier.SourceCommitted(commit.TransactionEndLsn, commit.TransactionCommitTimestamp);
                    }

                    skipping = false;
                    if (applier.PendingChanges >= options.ChangesPerCommit || (applier.HasPending && DateTime.UtcNow - applier.PendingSince >= options.CommitInterval) || WantsToStop())
                    {
                        await CommitAsync();
                    }

                    break;
                case LogicalDecodingMessage { Prefix: MessagePrefix } message when !inTransaction:
                    // Everything before this message is received: once it is committed, the slot may move past it.
                    await CommitAsync();
                    await AcknowledgeAsync(message.MessageLsn);
                    caughtUp = true;
                    if (options.UntilLsn is { } until && message.MessageLsn >= until)
                    {
                        reachedUntil = true;
                    }

                    break;
            }

            await ReportAsync(force: false);
            if (!inTransaction)
            {
                await LookForStopRequestAsync();
            }

            if (!inTransaction && WantsToStop())
            {
                next = Task.FromResult(false);
                break;
            }
        }

        // Whatever the server sent after the stop is left unread: it is not acknowledged, so it comes again.
        await CommitAsync();
        await stopStream.CancelAsync();
        try
        {
            await next;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The read in flight, ended by the stop.
        }

        await ReportAsync(force: true);
        return new FollowOutcome(progress!, stopRequested, reachedUntil);
    }

    /// <summary>Writes a non-transactional logical message to the source's WAL and returns its LSN.</summary>
    public static async Task<NpgsqlLogSequenceNumber> EmitAsync(NpgsqlDataSource source, string content, CancellationToken cancellationToken = default)
    {
        await using var command = source.CreateCommand("SELECT pg_logical_emit_message(false, $1, $2)");
        command.Parameters.AddWithValue(MessagePrefix);
        command.Parameters.AddWithValue(content);
        return (NpgsqlLogSequenceNumber)(await command.ScalarAsync(cancellationToken))!;
    }

    // The session of a follower that died (a killed process, a lost worker) holds the slot until the source
    // notices; a follower that another worker still runs would too, and must not be fought over.
    private async Task WaitUntilSlotIsFreeAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using var command = source.CreateCommand("SELECT active_pid FROM pg_catalog.pg_replication_slots WHERE slot_name = $1");
            command.Parameters.AddWithValue(start.SlotName);
            var pid = await command.ScalarAsync(cancellationToken);
            if (pid is null or DBNull)
            {
                return;
            }

            if (waited.Elapsed > SlotReleaseTimeout)
            {
                throw new TimeoutException(
                    $"Replication slot {start.SlotName} has been in use by process {pid} on the source for {SlotReleaseTimeout.TotalSeconds:0}s: another run of this migration follows it. " +
                    "Stop that run first; if none runs, end the process on the source (SELECT pg_terminate_backend(pid)).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private async Task<ReplicationProgress> MeasureAsync(ChangeApplier applier, bool caughtUp, double rate, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand("""
            SELECT coalesce(pg_current_wal_lsn() - confirmed_flush_lsn, 0)::int8, coalesce(pg_current_wal_lsn() - restart_lsn, 0)::int8
            FROM pg_catalog.pg_replication_slots WHERE slot_name = $1
            """);
        command.Parameters.AddWithValue(start.SlotName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (lagBytes, retained) = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, 0L);
        var lagSeconds = caughtUp || applier.AppliedCommitTime == default ? 0 : Math.Max(0, (DateTime.UtcNow - applier.AppliedCommitTime).TotalSeconds);
        return new ReplicationProgress(
            applier.AppliedChanges, Math.Round(rate, 1), lagBytes, Math.Round(lagSeconds, 1), retained,
            (applier.AppliedEndLsn ?? NpgsqlLogSequenceNumber.Parse(start.ConsistentLsn)).ToString(), DateTimeOffset.UtcNow);
    }
}
