namespace PgMigration.Core.Catalog;

/// <summary>
/// A table's row count as the planner statistics give it, or <see cref="Unknown"/>. PostgreSQL 14 marks a
/// table never vacuumed or analyzed with reltuples = -1. Before 14 such a table has reltuples = 0 and
/// relpages = 0, exactly as an analyzed empty one does; only its size on disk tells the two apart (the
/// planner of those versions looks at the size too).
/// </summary>
internal static class RowEstimate
{
    public const long Unknown = -1;

    /// <param name="serverVersionNumber">server_version_num of the server the statistics come from.</param>
    /// <param name="reltuples">pg_class.reltuples.</param>
    /// <param name="relpages">pg_class.relpages.</param>
    /// <param name="mainForkBytes">pg_relation_size() of the table: its heap, without TOAST and indexes.</param>
    public static long Of(int serverVersionNumber, double reltuples, int relpages, long mainForkBytes)
    {
        if (reltuples < 0)
        {
            return Unknown;
        }

        if (serverVersionNumber < 140000 && reltuples == 0 && relpages == 0 && mainForkBytes > 0)
        {
            return Unknown;
        }

        return (long)reltuples;
    }

    /// <summary>The same rule in SQL, for queries that list many tables at once: the estimate, or NULL when unknown.</summary>
    /// <param name="relation">The alias of the pg_class row.</param>
    public static string Sql(string relation) =>
        $"CASE WHEN {relation}.reltuples < 0 " +
        $"OR (current_setting('server_version_num')::int < 140000 AND {relation}.reltuples = 0 AND {relation}.relpages = 0 AND pg_relation_size({relation}.oid) > 0) " +
        $"THEN NULL ELSE {relation}.reltuples::bigint END";
}
