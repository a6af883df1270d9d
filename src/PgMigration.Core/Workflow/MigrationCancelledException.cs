namespace PgMigration.Core.Workflow;

/// <summary>The migration was cancelled while an activity of it was due to run or running; its checkpoints stay.</summary>
internal sealed class MigrationCancelledException(string migrationId)
    : Exception($"Migration '{migrationId}' was cancelled. Its checkpoints are kept: start it again with the same id to resume.");
