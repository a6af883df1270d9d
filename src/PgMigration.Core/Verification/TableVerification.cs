namespace PgMigration.Core.Verification;

/// <summary>Row count and order-independent content checksum of one table on both servers.</summary>
public sealed record TableVerification(string Table, long SourceRows, long TargetRows, string SourceChecksum, string TargetChecksum)
{
    /// <summary>Key ranges whose checksums differ, when the table was checked chunk by chunk.</summary>
    public IReadOnlyList<string> MismatchedChunks { get; init; } = [];

    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}
