using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// One index build on <paramref name="Table"/> as the target's pg_stat_progress_create_index reports it
/// (PostgreSQL 12 and later): its phase, and the blocks or tuples of that phase done so far. The server
/// names the index (<paramref name="Index"/>) only for concurrent builds; ours are not, so the build is known by its table.
/// </summary>
public sealed record IndexBuildProgress(QualifiedName Table, string? Index, string Phase, long BlocksDone, long BlocksTotal, long TuplesDone, long TuplesTotal)
{
    /// <summary>How far the current phase is: blocks while the table is scanned, tuples while they are loaded; null when the server counts neither.</summary>
    public double? Fraction =>
        BlocksTotal > 0 ? (double)BlocksDone / BlocksTotal
        : TuplesTotal > 0 ? (double)TuplesDone / TuplesTotal
        : null;
}
