using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Verification;

/// <summary>Row count and order-independent content checksum of one table (or of the large objects: <see cref="Kind"/>) on both servers.</summary>
public sealed record TableVerification(QualifiedName Table, long SourceRows, long TargetRows, string SourceChecksum, string TargetChecksum)
{
    public DataKind Kind { get; init; } = DataKind.Table;

    /// <summary>Key ranges whose checksums differ, when the table was checked chunk by chunk.</summary>
    public IReadOnlyList<string> MismatchedChunks { get; init; } = [];

    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}
