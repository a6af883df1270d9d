namespace PgMigration.Core.Online;

/// <summary>What one run of the follower did, and why it stopped.</summary>
internal sealed record FollowOutcome(ReplicationProgress Progress, bool StopRequested, bool ReachedUntilLsn);
