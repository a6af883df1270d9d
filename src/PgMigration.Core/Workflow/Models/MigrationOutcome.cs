namespace PgMigration.Core.Workflow.Models;

/// <summary>The workflow's output.</summary>
public sealed record MigrationOutcome(string PlanId, int Tables, long RowsCopied, long BytesCopied, int TablesVerified);
