using NpgsqlTypes;

namespace PgMigration.Core.Online;

/// <summary>When a run of <see cref="ChangeFollower"/> stops, and what it reports on the way.</summary>
internal sealed record FollowOptions
{
    /// <summary>Stop at the first transaction boundary after this long.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(30);

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
