using PgMigration.Core.Online;

namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the online activities: start (slot, publication, snapshot), follow and cut over.</summary>
/// <param name="MaxSeconds">How long one follow activity streams before it returns (bounded work per activity and per history).</param>
/// <param name="Generation">How many times the follow workflow has continued as new with a fresh history.</param>
public sealed record OnlineWork(string MigrationId, string PlanId, string Source, string Target, int Parallelism = 1, int MaxSeconds = MigrationLimits.DefaultFollowActivitySeconds, int Generation = 0);

/// <summary>The slot the copy's snapshot came from and the LSN the change stream begins after.</summary>
public sealed record OnlineStarted(string SlotName, string ConsistentLsn);

/// <summary>One follow activity's outcome: where the stream is, and whether a cut over was asked for.</summary>
public sealed record ChangesFollowed(ReplicationProgress Progress, bool CutoverRequested);

/// <summary>The cut over: how long the source's tables were read-only (or writes had to be stopped), and the verification done then.</summary>
public sealed record CutoverReport(double DowntimeSeconds, bool SourceLocked, ReplicationProgress Progress, IReadOnlyList<TableVerified> Verified);
