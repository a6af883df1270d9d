namespace PgMigration.Core.Workflow.Models;

/// <summary>What a batch of tiny tables came to, a line per table in the order of the batch.</summary>
public sealed record SmallTablesCopied(IReadOnlyList<SmallTableCopied> Tables);

/// <summary>A tiny table copied (this run's rows), keyed and indexed, verified and analyzed.</summary>
public sealed record SmallTableCopied(int TableIndex, ChunkCopied Copied, TableVerified Verified)
{
    /// <summary>The keys and indexes the target rejected, each with its error and SQL, as the post-data step reports them.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}
