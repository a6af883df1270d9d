using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Api;

/// <summary>Lists the user schemas of a server with their tables, estimated rows and sizes, from the catalog alone.</summary>
internal static class SchemaBrowser
{
    private static readonly string Sql = $$"""
        select n.nspname,
               c.relname,
               case c.relkind when 'p' then 'partitioned' when 'm' then 'materialized view' when 'f' then 'foreign' else 'table' end,
               case when c.relkind = 'p' then
                        (select nullif(sum(greatest(p.reltuples, 0)), 0)::bigint
                           from pg_partition_tree(c.oid) t join pg_class p on p.oid = t.relid where t.isleaf)
                    else {{RowEstimate.Sql("c")}} end,
               case when c.relkind = 'p' then
                        (select coalesce(sum(pg_total_relation_size(t.relid)), 0)::bigint from pg_partition_tree(c.oid) t where t.isleaf)
                    else pg_total_relation_size(c.oid) end,
               (select pn.nspname || '.' || pc.relname
                  from pg_inherits i join pg_class pc on pc.oid = i.inhparent join pg_namespace pn on pn.oid = pc.relnamespace
                 where i.inhrelid = c.oid and c.relispartition)
          from pg_namespace n
          left join pg_class c on c.relnamespace = n.oid and c.relkind in ('r', 'p', 'm', 'f')
         where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
           and n.nspname not like 'pg\_temp\_%' and n.nspname not like 'pg\_toast\_temp\_%'
         order by n.nspname, c.relname
        """;

    public static async Task<IReadOnlyList<SchemaSummary>> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        var tables = new List<(string Schema, TableSummary? Table)>();
        await using (var command = dataSource.CreateCommand(Sql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var schema = reader.GetString(0);
                tables.Add(reader.IsDBNull(1)
                    ? (schema, null)
                    : (schema, new TableSummary(
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3),
                        reader.GetInt64(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5))));
            }
        }

        return [.. tables
            .GroupBy(t => t.Schema, StringComparer.Ordinal)
            .Select(g =>
            {
                var list = g.Select(t => t.Table).OfType<TableSummary>().ToList();
                return new SchemaSummary(g.Key, list.Where(t => t.PartitionOf is null).Sum(t => t.TotalBytes), list);
            })];
    }
}
