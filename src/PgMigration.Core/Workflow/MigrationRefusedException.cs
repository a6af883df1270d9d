namespace PgMigration.Core.Workflow;

/// <summary>
/// The migration cannot go on as asked (the target already has the objects, an extension is missing,
/// the filters break dependencies). No retry changes that; the message says what to change.
/// </summary>
public sealed class MigrationRefusedException(string message) : Exception(message);
