namespace PgMigration.Core.Workflow.Models;

/// <summary>The workflow's output.</summary>
public sealed record MigrationOutcome(string PlanId, int Tables, long RowsCopied, long BytesCopied, int TablesVerified)
{
    /// <summary>Row counts of every verified table, source and target (equal, or the workflow would have failed).</summary>
    public IReadOnlyList<TableVerified> Verified { get; init; } = [];

    /// <summary>The cut over of an online migration: its downtime window and the last replication figures.</summary>
    public CutoverReport? Cutover { get; init; }
}
