using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The work the workflow schedules, one method per activity in <see cref="WorkflowNames"/>. Each is
/// idempotent, because Durable runs an activity at least once.
/// </summary>
public interface IMigrationActivities
{
    Task<PlanSummary> PlanAsync(PlanRequest request, CancellationToken cancellationToken = default);

    Task<DdlApplied> ApplyPreDataAsync(DdlWork work, CancellationToken cancellationToken = default);

    Task<ChunkCopied> CopyChunkAsync(ChunkWork work, CancellationToken cancellationToken = default);

    Task<DdlApplied> ApplyPostDataStepAsync(DdlWork work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tiny tables of one chunk each, one after the other: for each, what <see cref="CopyChunkAsync"/>,
    /// <see cref="ApplyPostDataStepAsync"/> (its keys and indexes), <see cref="VerifyTableAsync"/> and
    /// <see cref="AnalyzeTableAsync"/> do, in one activity instead of one each.
    /// </summary>
    Task<SmallTablesCopied> CopySmallTablesAsync(SmallTablesWork work, CancellationToken cancellationToken = default);

    /// <summary>After a table's rows, keys and indexes: ANALYZE it (expression indexes get statistics of their own).</summary>
    Task<DdlApplied> AnalyzeTableAsync(AnalyzeWork work, CancellationToken cancellationToken = default);

    /// <summary>After post-data: remove the engine's bookkeeping from the target, so its schema is the source's.</summary>
    Task<DdlApplied> FinishAsync(DdlWork work, CancellationToken cancellationToken = default);

    Task<TableVerified> VerifyTableAsync(VerifyWork work, CancellationToken cancellationToken = default);

    /// <summary>Copies one set of large objects with their oids, contents and comments (owners and grants when planned so).</summary>
    Task<ChunkCopied> CopyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default);

    /// <summary>Object count and content checksum of one set of large objects, on both sides.</summary>
    Task<TableVerified> VerifyLargeObjectsAsync(LargeObjectWork work, CancellationToken cancellationToken = default);

    /// <summary>Online: check the source, create the publication and slot, hold the slot's snapshot for the copy.</summary>
    Task<OnlineStarted> StartOnlineAsync(OnlineWork work, CancellationToken cancellationToken = default);

    /// <summary>Online: apply the source's changes to the target for a bounded time.</summary>
    Task<ChangesFollowed> FollowChangesAsync(OnlineWork work, CancellationToken cancellationToken = default);

    /// <summary>Online: catch up to lag zero, set sequences, verify, drop the slot and publication.</summary>
    Task<CutoverReport> CutOverAsync(OnlineWork work, CancellationToken cancellationToken = default);
}
