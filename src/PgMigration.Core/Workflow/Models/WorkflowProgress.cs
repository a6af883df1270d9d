namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// The workflow's custom status: small on purpose (Durable limits its size); per-table progress is
/// read from the checkpoints.
/// </summary>
public sealed record WorkflowProgress(MigrationPhase Phase, int Done, int Total)
{
    /// <summary>At most this many <see cref="Running"/> steps are listed, whatever the parallelism.</summary>
    public const int MaxRunningShown = 16;

    /// <summary>Index builds, foreign keys, ANALYZE and verifications running now (copies show in the tables' progress).</summary>
    public IReadOnlyList<RunningWork> Running { get; init; } = [];

    /// <summary>Verify phase: bytes of the tables whose rows both servers have hashed, of <see cref="BytesTotal"/>.</summary>
    public long BytesDone { get; init; }

    public long BytesTotal { get; init; }

    /// <summary>While an online migration follows its source: lag, changes applied and their rate.</summary>
    public Online.ReplicationProgress? Replication { get; init; }
}
