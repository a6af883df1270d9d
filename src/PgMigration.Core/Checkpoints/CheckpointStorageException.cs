namespace PgMigration.Core.Checkpoints;

/// <summary>
/// The checkpoint storage cannot be used, or holds something unreadable: no retry changes that, and the
/// message names the place and what to do about it.
/// </summary>
public sealed class CheckpointStorageException(string message, Exception? inner = null) : Exception(message, inner);
