using NpgsqlTypes;

namespace PgMigration.Core.Online;

/// <summary>When a run of <see cref="ChangeFollower"/> stops, and what it reports on the way.</summary>
internal sealed record FollowOptions
{
    /// <summary>Stop at the first transaction boundary after this long, once the stream has delivered something.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a run that has received nothing goes on past <see cref="MaxDuration"/>. Until the server sends its
    /// first message it is decoding a backlog (the WAL written while the copy ran, or one large transaction, which
    /// is sent only once its commit is decoded); a run that stopped then would leave the next one to decode it all
    /// again from the same place, and runs shorter than that would never get anywhere.
    /// </summary>
    public TimeSpan FirstMessageLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stop once everything up to this LSN (a sentinel message written there) is applied and committed.</summary>
    public NpgsqlLogSequenceNumber? UntilLsn { get; init; }

    /// <summary>Asked about once a second; true stops the run at the next transaction boundary (a cut over was requested).</summary>
    public Func<CancellationToken, Task<bool>>? StopRequested { get; init; }

    /// <summary>A target transaction commits after this many changes, or <see cref="CommitInterval"/>, whichever comes first.</summary>
    public int ChangesPerCommit { get; init; } = 5000;

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>When the stream is quiet, a heartbeat message lets the slot advance past WAL of other tables and databases.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public Func<ReplicationProgress, CancellationToken, Task>? OnProgress { get; init; }
}
