using Npgsql;
using NpgsqlTypes;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>Options for <see cref="TableLayoutReader"/>.</summary>
public sealed record TableLayoutReaderOptions
{
    /// <summary>
    /// Decides by schema and table name whether a table is copied; null copies every table. A partition
    /// leaf is copied when it or its partitioned root is included.
    /// </summary>
    public Func<string, string, bool>? Include { get; init; }
}

/// <summary>
/// Reads, from the source catalog, the layout of every table whose rows the copy moves: ordinary tables
/// and partition leaves (partitioned parents hold no rows), outside system schemas and extensions.
/// </summary>
public static class TableLayoutReader
{
    /// <summary>Schema the engine keeps its own bookkeeping in on the target; never copied.</summary>
    public const string EngineSchema = "_pgmigrate";

    private const int FirstUserObjectId = 16384;

    public static async Task<IReadOnlyList<TableLayout>> ReadAsync(
        NpgsqlDataSource source, TableLayoutReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        var tables = await ReadTablesAsync(connection, options?.Include, cancellationToken);
        if (tables.Count == 0)
        {
            return [];
        }

        var types = await ReadTypesAsync(connection, cancellationToken);
        var columns = await ReadColumnsAsync(connection, tables.Keys.ToArray(), cancellationToken);
        var keys = await ReadKeyCandidatesAsync(connection, tables.Keys.ToArray(), cancellationToken);

        var layouts = new List<TableLayout>(tables.Count);
        foreach (var (oid, table) in tables)
        {
            var tableColumns = columns.GetValueOrDefault(oid) ?? [];
            var copyable = tableColumns.Where(c => !c.Generated).ToList();
            var key = ChooseKey(keys.GetValueOrDefault(oid) ?? [], tableColumns);
            layouts.Add(new TableLayout
            {
                Schema = table.Schema,
                Name = table.Name,
                Columns = copyable.Select(c => c.Column with { Hash = HashKindOf(c.TypeOid, types) }).ToList(),
                VirtualColumns = tableColumns.Where(c => c.IsVirtual).Select(c => c.Column).ToList(),
                KeyColumns = key,
                UsesTextFormat = copyable.Any(c => !IsBinaryPortable(c.TypeOid, types, 0)),
                EstimatedRows = table.EstimatedRows,
                EstimatedBytes = table.Bytes,
                PartitionOf = table.PartitionOf,
            });
        }

        return layouts;
    }

    private sealed record TableRow(string Schema, string Name, long EstimatedRows, long Bytes, string? PartitionOf);

    private sealed record ColumnRow(short Number, CopyColumn Column, uint TypeOid, bool NotNull, bool Generated)
    {
        public bool IsVirtual { get; init; }
    }

    // IsArray: typcategory A, which user types may claim too (CREATE TYPE ... CATEGORY).
    private sealed record TypeRow(TypeKind Kind, uint Element, uint BaseType, bool HasBinaryIo, bool IsArray, uint RangeSubtype);

    private static async Task<Dictionary<uint, TableRow>> ReadTablesAsync(
        NpgsqlConnection connection, Func<string, string, bool>? include, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT c.oid, n.nspname, c.relname,
                   CASE WHEN c.reltuples < 0 THEN -1 ELSE c.reltuples::bigint END,
                   pg_table_size(c.oid),
                   CASE WHEN c.relispartition THEN
                   (WITH RECURSIVE up(relid) AS (
                        SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid
                        UNION ALL SELECT i.inhparent FROM pg_inherits i JOIN up ON i.inhrelid = up.relid)
                    SELECT ARRAY[pn.nspname::text, p.relname::text]
                      FROM up JOIN pg_class p ON p.oid = up.relid JOIN pg_namespace pn ON pn.oid = p.relnamespace
                     WHERE NOT p.relispartition LIMIT 1) END
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r'
               AND n.nspname NOT IN ('pg_catalog', 'information_schema', $1)
               AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY n.nspname, c.relname
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(EngineSchema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new Dictionary<uint, TableRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var schema = reader.GetString(1);
            var name = reader.GetString(2);
            var root = reader.IsDBNull(5) ? null : reader.GetFieldValue<string[]>(5);
            if (include is null || include(schema, name) || (root is not null && include(root[0], root[1])))
            {
                tables[reader.GetFieldValue<uint>(0)] = new TableRow(
                    schema, name, reader.GetInt64(3), reader.GetInt64(4), root is null ? null : $"{root[0]}.{root[1]}");
            }
        }

        return tables;
    }

    private static async Task<Dictionary<uint, TypeRow>> ReadTypesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT t.oid, t.typtype::text, t.typelem, t.typbasetype, (t.typsend <> 0 AND t.typreceive <> 0), t.typcategory = 'A',
                   coalesce(r.rngsubtype, mr.rngsubtype, 0)
              FROM pg_type t
              LEFT JOIN pg_range r ON r.rngtypid = t.oid
              LEFT JOIN pg_range mr ON mr.rngmultitypid = t.oid
            """;
        var rangeHasMultirange = connection.PostgreSqlVersion.Major >= 14;
        await using var command = new NpgsqlCommand(
            rangeHasMultirange ? sql : sql.Replace("coalesce(r.rngsubtype, mr.rngsubtype, 0)", "coalesce(r.rngsubtype, 0)", StringComparison.Ordinal)
                .Replace("LEFT JOIN pg_range mr ON mr.rngmultitypid = t.oid", string.Empty, StringComparison.Ordinal),
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var types = new Dictionary<uint, TypeRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            types[reader.GetFieldValue<uint>(0)] = new TypeRow(
                CatalogCodes.TypeKindOf(reader.GetString(1)), reader.GetFieldValue<uint>(2), reader.GetFieldValue<uint>(3), reader.GetBoolean(4), reader.GetBoolean(5),
                reader.GetFieldValue<uint>(6));
        }

        return types;
    }

    private static async Task<Dictionary<uint, List<ColumnRow>>> ReadColumnsAsync(
        NpgsqlConnection connection, uint[] tables, CancellationToken cancellationToken)
    {
        var generated = connection.PostgreSqlVersion.Major >= 12 ? "a.attgenerated <> ''" : "false";
        var isVirtual = connection.PostgreSqlVersion.Major >= 18 ? "a.attgenerated = 'v'" : "false";
        var sql = $"""
            SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, NULL), a.atttypid, a.attnotnull, {generated}, {isVirtual}
              FROM pg_attribute a
             WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tables, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<uint, List<ColumnRow>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var typeOid = reader.GetFieldValue<uint>(4);
            var column = new CopyColumn(reader.GetString(2), reader.GetString(3), typeOid is 20 or 21 or 23);
            var row = new ColumnRow(reader.GetInt16(1), column, typeOid, reader.GetBoolean(5), reader.GetBoolean(6)) { IsVirtual = reader.GetBoolean(7) };
            var table = reader.GetFieldValue<uint>(0);
            if (!columns.TryGetValue(table, out var list))
            {
                columns[table] = list = [];
            }

            list.Add(row);
        }

        return columns;
    }

    private static async Task<Dictionary<uint, List<short[]>>> ReadKeyCandidatesAsync(
        NpgsqlConnection connection, uint[] tables, CancellationToken cancellationToken)
    {
        // Primary key first, then the narrowest plain btree unique index: its order is what chunks follow.
        const string sql = """
            SELECT i.indrelid, (i.indkey::int2[])[0:i.indnkeyatts - 1]
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_am am ON am.oid = ic.relam
             WHERE i.indrelid = ANY($1) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
               AND am.amname = 'btree'
             ORDER BY i.indrelid, i.indisprimary DESC, i.indnkeyatts, ic.relname
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tables, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new Dictionary<uint, List<short[]>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetFieldValue<uint>(0);
            if (!keys.TryGetValue(table, out var list))
            {
                keys[table] = list = [];
            }

            list.Add(reader.GetFieldValue<short[]>(1));
        }

        return keys;
    }

    private static IReadOnlyList<CopyColumn> ChooseKey(List<short[]> candidates, List<ColumnRow> columns)
    {
        foreach (var candidate in candidates)
        {
            var keyColumns = candidate.Select(n => columns.FirstOrDefault(c => c.Number == n)).ToList();
            // A key addresses rows on the target only if every part is present there, not null and copied as is.
            if (keyColumns.All(c => c is { NotNull: true, Generated: false }))
            {
                return keyColumns.Select(c => c!.Column).ToList();
            }
        }

        return [];
    }

    // Domains are hashed as their base type, whose binary form they send.
    private static ColumnHashKind HashKindOf(uint typeOid, Dictionary<uint, TypeRow> types)
    {
        for (var depth = 0; depth < 32 && types.TryGetValue(typeOid, out var type) && type.Kind == TypeKind.Domain; depth++)
        {
            typeOid = type.BaseType;
        }

        return typeOid switch
        {
            16 => ColumnHashKind.Bool,
            20 => ColumnHashKind.Int8,
            21 => ColumnHashKind.Int2,
            23 => ColumnHashKind.Int4,
            26 => ColumnHashKind.Oid,
            25 or 1043 => ColumnHashKind.Text,
            1042 => ColumnHashKind.Bpchar,
            2950 => ColumnHashKind.Uuid,
            700 => ColumnHashKind.Float4,
            701 => ColumnHashKind.Float8,
            1700 => ColumnHashKind.Numeric,
            1082 => ColumnHashKind.Date,
            869 or 650 => ColumnHashKind.Inet,
            1005 or 1007 or 1016 => ColumnHashKind.IntegerArray,
            1114 => ColumnHashKind.Timestamp,
            1184 => ColumnHashKind.TimestampTz,
            114 => ColumnHashKind.Json,
            3802 => ColumnHashKind.Jsonb,
            17 => ColumnHashKind.Bytea,
            _ => ColumnHashKind.SourceText,
        };
    }

    // regclass, regtype, regproc and the other OID aliases: their binary form is the OID, which names another
    // object (or none) on the target; their text form is the name, which the target resolves to its own OID.
    private static readonly HashSet<uint> ObjectIdAliases = [24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191];

    private static bool IsBinaryPortable(uint typeOid, Dictionary<uint, TypeRow> types, int depth)
    {
        if (depth > 32 || ObjectIdAliases.Contains(typeOid) || !types.TryGetValue(typeOid, out var type) || !type.HasBinaryIo)
        {
            return false;
        }

        return type switch
        {
            // Domains send their base type's form.
            { Kind: TypeKind.Domain } => IsBinaryPortable(type.BaseType, types, depth + 1),
            // record_send writes every field's type OID.
            { Kind: TypeKind.Composite or TypeKind.Pseudo } => false,
            // array_send writes the element type OID, which only matches for built-in types.
            { IsArray: true, Element: not 0 } => type.Element < FirstUserObjectId && IsBinaryPortable(type.Element, types, depth + 1),
            { Kind: TypeKind.Range or TypeKind.Multirange, RangeSubtype: not 0 } => IsBinaryPortable(type.RangeSubtype, types, depth + 1),
            _ => true,
        };
    }
}
