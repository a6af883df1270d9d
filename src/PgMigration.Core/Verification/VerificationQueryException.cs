using PgMigration.Core.Catalog;

namespace PgMigration.Core.Verification;

/// <summary>A checksum query failed (a table missing on the target, a lost connection): names the table, side and SQL.</summary>
public sealed class VerificationQueryException(QualifiedName table, string side, string sql, Exception inner)
    : Exception($"Verifying {table} failed on the {side}: {inner.Message}{Environment.NewLine}SQL: {sql}", inner)
{
    public QualifiedName Table { get; } = table;
}
