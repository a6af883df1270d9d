namespace PgMigration.Testing;

/// <summary>Every table's row count and a hash of its rows, as PostgreSQL prints them, for comparing a target with its source.</summary>
public static class RowHashes
{
    public static async Task<IReadOnlyDictionary<string, string>> OfEveryTableAsync(TestDatabase database)
    {
        var tables = await database.ScalarAsync<string[]>("""
            SELECT coalesce(array_agg(format('%I.%I', n.nspname, c.relname) ORDER BY 1), '{}')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
              AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """);
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            hashes[table] = await database.ScalarAsync<string>(
                $"SELECT count(*) || ' rows ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ONLY {table} t");
        }

        return hashes;
    }
}
