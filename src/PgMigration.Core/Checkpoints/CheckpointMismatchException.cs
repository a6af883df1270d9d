namespace PgMigration.Core.Checkpoints;

/// <summary>The checkpoint location holds another migration's progress; the message says what to do.</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);
