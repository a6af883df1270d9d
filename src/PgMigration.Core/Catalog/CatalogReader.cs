using Npgsql;

namespace PgMigration.Core.Catalog;

/// <summary>
/// Reads the source database into a <see cref="DatabaseCatalog"/>. Works on PostgreSQL 11 and later:
/// columns that only newer servers have are read behind a server_version_num check. The session runs
/// with an empty search_path, so every name the server prints (format_type, pg_get_*def) is qualified.
/// </summary>
public sealed class CatalogReader(NpgsqlDataSource dataSource, CatalogReadOptions? options = null)
{
    // A user schema: not a system one, not temporary.
    private const string UserSchema =
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

    public async Task<DatabaseCatalog> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var session = new Session(connection, transaction);
        await session.ExecuteAsync("SELECT pg_catalog.set_config('search_path', '', true)", cancellationToken);

        var server = await ReadServerAsync(session, cancellationToken);
        var v = server.VersionNumber;
        if (v < 110000)
        {
            throw new NotSupportedException($"The source runs PostgreSQL {server.Version}; pgmigrate reads PostgreSQL 11 and later.");
        }

        DatabaseCatalog catalog;
        try
        {
            catalog = await ReadObjectsAsync(session, server, cancellationToken);
        }
        catch (UnknownCatalogCodeException ex)
        {
            throw new CatalogReadException(ex.Explain(server), ex);
        }

        await transaction.CommitAsync(cancellationToken);
        return catalog;
    }

    private async Task<DatabaseCatalog> ReadObjectsAsync(Session session, ServerInfo server, CancellationToken cancellationToken)
    {
        var v = server.VersionNumber;
        var sequences = await ReadSequencesAsync(session, cancellationToken);
        var columns = await ReadColumnsAsync(session, v, sequences, cancellationToken);
        var tables = await ReadTablesAsync(session, v, columns, options?.TableSizes ?? false, cancellationToken);
        var foreignTables = await ReadForeignTablesAsync(session, columns, cancellationToken);
        var views = await ReadViewsAsync(session, v, cancellationToken);
        var relationOids = tables.Select(t => t.Address.ObjectId).Concat(views.Select(x => x.Address.ObjectId)).Concat(foreignTables.Select(f => f.Address.ObjectId)).ToArray();
        var tableOids = tables.Select(t => t.Address.ObjectId).ToArray();

        return new DatabaseCatalog
        {
            Server = server,
            Schemas = await ReadSchemasAsync(session, cancellationToken),
            Extensions = await ReadExtensionsAsync(session, cancellationToken),
            Collations = await ReadCollationsAsync(session, v, cancellationToken),
            TextSearchDictionaries = await ReadTextSearchDictionariesAsync(session, cancellationToken),
            TextSearchConfigurations = await ReadTextSearchConfigurationsAsync(session, cancellationToken),
            Enums = await ReadEnumsAsync(session, cancellationToken),
            CompositeTypes = await ReadCompositeTypesAsync(session, cancellationToken),
            Domains = await ReadDomainsAsync(session, cancellationToken),
            Ranges = await ReadRangesAsync(session, v, cancellationToken),
            Sequences = sequences,
            Tables = tables,
            Defaults = await ReadDefaultsAsync(session, v, relationOids, cancellationToken),
            ForeignServers = await ReadForeignServersAsync(session, cancellationToken),
            ForeignTables = foreignTables,
            Constraints = await ReadConstraintsAsync(session, tableOids.Concat(foreignTables.Select(f => f.Address.ObjectId)).ToArray(), cancellationToken),
            Indexes = await ReadIndexesAsync(session, relationOids, cancellationToken),
            Views = views,
            Routines = await ReadRoutinesAsync(session, cancellationToken),
            Aggregates = await ReadAggregatesAsync(session, cancellationToken),
            Operators = await ReadOperatorsAsync(session, cancellationToken),
            Casts = await ReadCastsAsync(session, cancellationToken),
            OperatorFamilies = await ReadOperatorFamiliesAsync(session, cancellationToken),
            OperatorClasses = await ReadOperatorClassesAsync(session, cancellationToken),
            Triggers = await ReadTriggersAsync(session, v, relationOids, cancellationToken),
            Rules = await ReadRulesAsync(session, relationOids, cancellationToken),
            Policies = await ReadPoliciesAsync(session, tableOids, cancellationToken),
            Statistics = await ReadStatisticsAsync(session, tableOids, cancellationToken),
            Publications = await ReadPublicationsAsync(session, v, cancellationToken),
            EventTriggers = await ReadEventTriggersAsync(session, cancellationToken),
            Dependencies = await ReadDependenciesAsync(session, cancellationToken),
            Aliases = await ReadAliasesAsync(session, v, cancellationToken),
            Unsupported = (await UnsupportedObjectDetector.DetectAsync(session, v, cancellationToken))
                .Where(u => !(options?.OwnersAndGrants ?? false) || u.Kind != "privileges").ToList(),
            Privileges = options?.OwnersAndGrants == true ? await ReadPrivilegesAsync(session, cancellationToken) : [],
            LargeObjects = (await session.QueryAsync("SELECT count(*) FROM pg_largeobject_metadata", r => r.GetInt64(0), cancellationToken))[0],
            LargeObjectRoles = options?.OwnersAndGrants == true
                ? await session.QueryAsync(
                    "SELECT pg_get_userbyid(m.lomowner)::text FROM pg_largeobject_metadata m UNION " +
                    "SELECT pg_get_userbyid(x.grantee)::text FROM pg_largeobject_metadata m CROSS JOIN LATERAL aclexplode(m.lomacl) x WHERE x.grantee <> 0 ORDER BY 1",
                    r => r.GetString(0),
                    cancellationToken)
                : [],
        };
    }

    private static string NotExtensionMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{catalog}'::regclass AND x.objid = {oid} AND x.deptype = 'e')";

    // Functions and casts a range type creates for itself (multirange constructors) depend on it internally.
    private static string NotExtensionMemberOrImplicit(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{catalog}'::regclass AND x.objid = {oid} AND x.deptype IN ('e', 'i'))";

    private static string QuotedCollation(string collationOid, string defaultCollationOid) =>
        $"CASE WHEN {collationOid} <> 0 AND {collationOid} <> {defaultCollationOid} THEN " +
        $"(SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = {collationOid}) END";

    private static async Task<ServerInfo> ReadServerAsync(Session session, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT current_setting('server_version_num')::int, current_setting('server_version'), current_database()::text, pg_encoding_to_char(d.encoding)::text " +
            "FROM pg_database d WHERE d.datname = current_database()",
            r => new ServerInfo(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            cancellationToken);
        return rows[0];
    }

    private static Task<List<SchemaInfo>> ReadSchemasAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT n.oid, n.nspname::text, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n WHERE {UserSchema} AND {NotExtensionMember("pg_namespace", "n.oid")} ORDER BY 2",
            r => new SchemaInfo(new(ObjectAddress.PgNamespace, r.Oid(0)), r.GetString(1), r.Text(2)),
            cancellationToken);

    private static async Task<List<ExtensionInfo>> ReadExtensionsAsync(Session session, CancellationToken cancellationToken)
    {
        var extensions = await session.QueryAsync(
            "SELECT e.oid, e.extname::text, n.nspname::text, e.extversion, obj_description(e.oid, 'pg_extension') FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 2",
            r => new ExtensionInfo(new(ObjectAddress.PgExtension, r.Oid(0)), r.GetString(1), r.GetString(2), r.GetString(3)) { Comment = r.Text(4) },
            cancellationToken);

        // Configuration tables (sequences marked so are left to the extension), with pg_dump's filter of each.
        var tables = await session.QueryAsync(
            "SELECT e.oid, tn.nspname::text, t.relname::text, coalesce(e.extcondition[x.i], ''), " +
            "ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum) " +
            "FROM pg_extension e CROSS JOIN LATERAL generate_subscripts(e.extconfig, 1) AS x(i) " +
            "JOIN pg_class t ON t.oid = e.extconfig[x.i] JOIN pg_namespace tn ON tn.oid = t.relnamespace WHERE t.relkind = 'r' ORDER BY 2, 3",
            r => (Extension: r.Oid(0), Table: new QualifiedName(r.GetString(1), r.GetString(2)), Condition: r.GetString(3), Columns: r.GetFieldValue<string[]>(4)),
            cancellationToken);
        var rows = new List<(uint Extension, ExtensionConfigurationRows Rows)>();
        foreach (var table in tables)
        {
            var values = await session.QueryAsync($"SELECT t::text FROM {table.Table} t {table.Condition}", r => r.GetString(0), cancellationToken);
            if (values.Count > 0)
            {
                rows.Add((table.Extension, new ExtensionConfigurationRows(table.Table, table.Columns, values)));
            }
        }

        var byExtension = rows.ToLookup(r => r.Extension, r => r.Rows);
        return [.. extensions.Select(e => e with { ConfigurationRows = [.. byExtension[e.Address.ObjectId]] })];
    }

    private static Task<List<CollationInfo>> ReadCollationsAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var locale = v >= 170000 ? "c.colllocale" : v >= 150000 ? "c.colliculocale" : "NULL::text";
        var rules = v >= 160000 ? "c.collicurules" : "NULL::text";
        var deterministic = v >= 120000 ? "c.collisdeterministic" : "true";
        return session.QueryAsync(
            $"SELECT c.oid, n.nspname::text, c.collname::text, c.collprovider::text, c.collcollate::text, c.collctype::text, {locale}, {rules}, {deterministic}, obj_description(c.oid, 'pg_collation') " +
            $"FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_collation", "c.oid")} ORDER BY 2, 3",
            r => new CollationInfo(new(ObjectAddress.PgCollation, r.Oid(0)), new(r.GetString(1), r.GetString(2)), CatalogCodes.CollationProviderOf(r.GetString(3)), r.Text(4), r.Text(5), r.Text(6), r.Text(7), r.GetBoolean(8), r.Text(9)),
            cancellationToken);
    }

    private static Task<List<TextSearchDictionaryInfo>> ReadTextSearchDictionariesAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT d.oid, n.nspname::text, d.dictname::text, quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname), d.dictinitoption, obj_description(d.oid, 'pg_ts_dict') " +
            "FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace tn ON tn.oid = t.tmplnamespace " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_ts_dict", "d.oid")} ORDER BY 2, 3",
            r => new TextSearchDictionaryInfo(new(ObjectAddress.PgTsDict, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.Text(4), r.Text(5)),
            cancellationToken);

    private static async Task<List<TextSearchConfigurationInfo>> ReadTextSearchConfigurationsAsync(Session session, CancellationToken cancellationToken)
    {
        // Token names come from the parser, as pg_dump reads them.
        var mappings = (await session.QueryAsync(
            "SELECT m.mapcfg, (SELECT t.alias FROM ts_token_type(c.cfgparser) t WHERE t.tokid = m.maptokentype), " +
            "quote_ident(dn.nspname) || '.' || quote_ident(d.dictname) " +
            "FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg JOIN pg_namespace n ON n.oid = c.cfgnamespace " +
            "JOIN pg_ts_dict d ON d.oid = m.mapdict JOIN pg_namespace dn ON dn.oid = d.dictnamespace " +
            $"WHERE {UserSchema} ORDER BY m.mapcfg, m.maptokentype, m.mapseqno",
            r => (Config: r.Oid(0), Token: r.GetString(1), Dictionary: r.GetString(2)),
            cancellationToken)).ToLookup(x => x.Config);
        return await session.QueryAsync(
            "SELECT c.oid, n.nspname::text, c.cfgname::text, quote_ident(pn.nspname) || '.' || quote_ident(p.prsname), obj_description(c.oid, 'pg_ts_config') " +
            "FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace pn ON pn.oid = p.prsnamespace " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_ts_config", "c.oid")} ORDER BY 2, 3",
            r => new TextSearchConfigurationInfo(
                new(ObjectAddress.PgTsConfig, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3),
                mappings[r.Oid(0)].GroupBy(m => m.Token).Select(g => new TextSearchMapping(g.Key, g.Select(m => m.Dictionary).ToList())).ToList(),
                r.Text(4)),
            cancellationToken);
    }

    private static Task<List<EnumTypeInfo>> ReadEnumsAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT t.oid, n.nspname::text, t.typname::text, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type') " +
            $"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND {UserSchema} AND {NotExtensionMember("pg_type", "t.oid")} ORDER BY 2, 3",
            r => new EnumTypeInfo(new(ObjectAddress.PgType, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetFieldValue<string[]>(3), r.Text(4)),
            cancellationToken);

    private static async Task<List<CompositeTypeInfo>> ReadCompositeTypesAsync(Session session, CancellationToken cancellationToken)
    {
        var attributes = (await session.QueryAsync(
            $"SELECT t.oid, a.attname::text, format_type(a.atttypid, a.atttypmod), {QuotedCollation("a.attcollation", "at.typcollation")} " +
            "FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' JOIN pg_namespace n ON n.oid = t.typnamespace " +
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped JOIN pg_type at ON at.oid = a.atttypid " +
            $"WHERE {UserSchema} ORDER BY 1, a.attnum",
            r => (Type: r.Oid(0), Attribute: new CompositeAttribute(r.GetString(1), r.GetString(2), r.Text(3))),
            cancellationToken)).ToLookup(x => x.Type, x => x.Attribute);
        return await session.QueryAsync(
            "SELECT t.oid, n.nspname::text, t.typname::text, obj_description(t.oid, 'pg_type') FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' " +
            $"JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_type", "t.oid")} ORDER BY 2, 3",
            r => new CompositeTypeInfo(new(ObjectAddress.PgType, r.Oid(0)), new(r.GetString(1), r.GetString(2)), attributes[r.Oid(0)].ToList(), r.Text(3)),
            cancellationToken);
    }

    private static async Task<List<DomainInfo>> ReadDomainsAsync(Session session, CancellationToken cancellationToken)
    {
        var constraints = (await session.QueryAsync(
            "SELECT con.contypid, con.conname::text, pg_get_constraintdef(con.oid), con.convalidated, obj_description(con.oid, 'pg_constraint') " +
            "FROM pg_constraint con WHERE con.contypid <> 0 AND con.contype = 'c' ORDER BY 1, 2",
            r => (Type: r.Oid(0), Constraint: new DomainConstraint(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.Text(4))),
            cancellationToken)).ToLookup(x => x.Type, x => x.Constraint);
        return await session.QueryAsync(
            $"SELECT t.oid, n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod), {QuotedCollation("t.typcollation", "bt.typcollation")}, t.typdefault, t.typnotnull, obj_description(t.oid, 'pg_type') " +
            "FROM pg_type t JOIN pg_type bt ON bt.oid = t.typbasetype JOIN pg_namespace n ON n.oid = t.typnamespace " +
            $"WHERE t.typtype = 'd' AND {UserSchema} AND {NotExtensionMember("pg_type", "t.oid")} ORDER BY 2, 3",
            r => new DomainInfo(new(ObjectAddress.PgType, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.Text(4), r.Text(5), r.GetBoolean(6), constraints[r.Oid(0)].ToList(), r.Text(7)),
            cancellationToken);
    }

    private static Task<List<RangeTypeInfo>> ReadRangesAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var multirange = v >= 140000
            ? "(SELECT quote_ident(mn.nspname) || '.' || quote_ident(mt.typname) FROM pg_type mt JOIN pg_namespace mn ON mn.oid = mt.typnamespace WHERE mt.oid = r.rngmultitypid)"
            : "NULL::text";
        return session.QueryAsync(
            "SELECT t.oid, n.nspname::text, t.typname::text, format_type(r.rngsubtype, NULL), " +
            "CASE WHEN NOT opc.opcdefault THEN quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END, " +
            $"{QuotedCollation("r.rngcollation", "st.typcollation")}, " +
            "CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END, CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END, " +
            $"{multirange}, obj_description(t.oid, 'pg_type') " +
            "FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_type st ON st.oid = r.rngsubtype " +
            "JOIN pg_opclass opc ON opc.oid = r.rngsubopc JOIN pg_namespace opn ON opn.oid = opc.opcnamespace " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_type", "t.oid")} ORDER BY 2, 3",
            r => new RangeTypeInfo(new(ObjectAddress.PgType, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)),
            cancellationToken);
    }

    private static async Task<List<SequenceInfo>> ReadSequencesAsync(Session session, CancellationToken cancellationToken)
    {
        var readable = new HashSet<uint>();
        var sequences = await session.QueryAsync(
            "SELECT c.oid, n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relpersistence = 'u', " +
            "own.nspname::text, own.relname::text, own.attname::text, coalesce(own.deptype = 'i', false), " +
            "CASE WHEN has_sequence_privilege(c.oid, 'SELECT') THEN pg_sequence_last_value(c.oid) END, obj_description(c.oid, 'pg_class'), " +
            "has_sequence_privilege(c.oid, 'SELECT') " +
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid " +
            "LEFT JOIN LATERAL (SELECT tn.nspname, tc.relname, a.attname, d.deptype FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid " +
            "  JOIN pg_namespace tn ON tn.oid = tc.relnamespace JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid " +
            "  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) own ON true " +
            $"WHERE c.relkind = 'S' AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} ORDER BY 2, 3",
            r =>
            {
                if (r.GetBoolean(17))
                {
                    readable.Add(r.Oid(0));
                }

                return new SequenceInfo(
                    new(ObjectAddress.PgClass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3),
                    r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetBoolean(9), r.GetBoolean(10),
                    r.IsDBNull(11) ? null : new SequenceOwner(new(r.GetString(11), r.GetString(12)), r.GetString(13)),
                    r.GetBoolean(14), r.IsDBNull(15) ? null : new SequenceValue(r.GetInt64(15), IsCalled: true), r.Text(16));
            },
            cancellationToken);

        // pg_sequence_last_value is null for a sequence not called since it was created, setval(s, n, false)
        // or RESTART WITH n; where it will start is only in the sequence's own row. Read those rows in batches.
        var uncalled = sequences.Where(s => s.Value is null && readable.Contains(s.Address.ObjectId)).ToList();
        var restartPoints = new Dictionary<uint, long>();
        foreach (var batch in uncalled.Chunk(500))
        {
            var rows = await session.QueryAsync(
                string.Join(" UNION ALL ", batch.Select(s => $"SELECT {s.Address.ObjectId}::oid, last_value FROM {s.Name.Sql}")),
                r => (Oid: r.Oid(0), LastValue: r.GetInt64(1)),
                cancellationToken);
            foreach (var (oid, lastValue) in rows)
            {
                restartPoints[oid] = lastValue;
            }
        }

        return [.. sequences.Select(s => restartPoints.TryGetValue(s.Address.ObjectId, out var next) ? s with { Value = new SequenceValue(next, IsCalled: false) } : s)];
    }

    private static async Task<ILookup<uint, ColumnInfo>> ReadColumnsAsync(Session session, int v, IReadOnlyList<SequenceInfo> sequences, CancellationToken cancellationToken)
    {
        var generated = v >= 120000 ? "CASE WHEN a.attgenerated IN ('s', 'v') THEN pg_get_expr(ad.adbin, ad.adrelid) END" : "NULL::text";
        var isVirtual = v >= 180000 ? "a.attgenerated = 'v'" : "false";
        var notNull = v >= 180000
            ? "(SELECT nn.conname::text FROM pg_constraint nn WHERE nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum), " +
              "coalesce((SELECT nn.connoinherit FROM pg_constraint nn WHERE nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum), false), " +
              "coalesce((SELECT nn.convalidated FROM pg_constraint nn WHERE nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum), true)"
            : "NULL::text, false, true";
        var compression = v >= 140000 ? "CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END" : "NULL::text";
        var identitySequences = sequences.Where(s => s.IsIdentity && s.OwnedBy is not null).ToDictionary(s => (s.OwnedBy!.Table, s.OwnedBy.Column));
        return (await session.QueryAsync(
            $"SELECT a.attrelid, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, {QuotedCollation("a.attcollation", "t.typcollation")}, " +
            $"a.attidentity::text, {generated}, a.attislocal, a.attinhcount, CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END, " +
            "CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' WHEN 'x' THEN 'EXTENDED' END END, " +
            $"{compression}, coalesce(a.attoptions, '{{}}'), col_description(a.attrelid, a.attnum), n.nspname::text, c.relname::text, {isVirtual}, {notNull} " +
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid " +
            "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum " +
            $"WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND {UserSchema} ORDER BY a.attrelid, a.attnum",
            r =>
            {
                var identity = CatalogCodes.IdentityGenerationOf(r.GetString(6));
                var table = new QualifiedName(r.GetString(15), r.GetString(16));
                identitySequences.TryGetValue((table, r.GetString(2)), out var sequence);
                return (Table: r.Oid(0), Column: new ColumnInfo(
                    r.GetInt16(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.Text(5), identity, identity is null ? null : sequence,
                    r.Text(7), r.GetBoolean(8), r.GetInt32(9), r.IsDBNull(10) ? null : r.GetInt32(10), r.Text(11), r.Text(12),
                    r.GetFieldValue<string[]>(13), r.Text(14))
                {
                    IsVirtual = r.GetBoolean(17),
                    NotNullConstraint = r.Text(18) is { } name ? new NotNullConstraint(name, r.GetBoolean(19), r.GetBoolean(20)) : null,
                });
            },
            cancellationToken)).ToLookup(x => x.Table, x => x.Column);
    }

    private static async Task<List<TableInfo>> ReadTablesAsync(Session session, int v, ILookup<uint, ColumnInfo> columns, bool sizes, CancellationToken cancellationToken)
    {
        var totalSize = sizes ? "pg_total_relation_size(c.oid)" : "NULL::int8";
        var accessMethod = v >= 120000 ? "(SELECT am.amname::text FROM pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap')" : "NULL::text";
        return await session.QueryAsync(
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'p', c.relpersistence = 'u', " +
            "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, " +
            "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, c.relispartition, " +
            "ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), " +
            "ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), " +
            $"{accessMethod}, coalesce(c.reloptions, '{{}}'), coalesce(tc.reloptions, '{{}}'), c.relrowsecurity, c.relforcerowsecurity, c.relreplident::text, " +
            $"c.reltuples::float8, {totalSize}, EXISTS (SELECT 1 FROM pg_attribute d WHERE d.attrelid = c.oid AND d.attisdropped), obj_description(c.oid, 'pg_class'), " +
            "CASE WHEN c.reloftype <> 0 THEN format_type(c.reloftype, NULL) END, c.relpages, pg_relation_size(c.oid) " +
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid " +
            $"WHERE c.relkind IN ('r', 'p') AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} ORDER BY 2, 3",
            r =>
            {
                var parents = r.GetFieldValue<string[]>(8).Zip(r.GetFieldValue<string[]>(9), (s, t) => new QualifiedName(s, t)).ToList();
                var isPartition = r.GetBoolean(7);
                return new TableInfo(
                    new(ObjectAddress.PgClass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetBoolean(3), r.GetBoolean(4),
                    columns[r.Oid(0)].ToList(), r.Text(5), isPartition ? parents[0] : null, r.Text(6), isPartition ? [] : parents,
                    r.Text(10), r.GetFieldValue<string[]>(11), r.GetFieldValue<string[]>(12), r.GetBoolean(13), r.GetBoolean(14), CatalogCodes.ReplicaIdentityOf(r.GetString(15)),
                    RowEstimate.Of(v, r.GetDouble(16), r.GetInt32(21), r.GetInt64(22)), r.IsDBNull(17) ? null : r.GetInt64(17), r.GetBoolean(18), r.Text(19)) { OfType = r.Text(20) };
            },
            cancellationToken);
    }

    private static Task<List<ForeignServerInfo>> ReadForeignServersAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT s.oid, s.srvname::text, w.fdwname::text, s.srvtype, s.srvversion, " +
            "ARRAY(SELECT quote_ident(o.option_name) || ' ' || quote_literal(o.option_value) FROM pg_options_to_table(s.srvoptions) o), obj_description(s.oid, 'pg_foreign_server') " +
            $"FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE {NotExtensionMember("pg_foreign_server", "s.oid")} ORDER BY 2",
            r => new ForeignServerInfo(new(ObjectAddress.PgForeignServer, r.Oid(0)), r.GetString(1), r.GetString(2), r.Text(3), r.Text(4), r.GetFieldValue<string[]>(5), r.Text(6)),
            cancellationToken);

    // Foreign tables that are partitions stay unsupported (reported), the others are recreated.
    private static async Task<List<ForeignTableInfo>> ReadForeignTablesAsync(Session session, ILookup<uint, ColumnInfo> columns, CancellationToken cancellationToken)
    {
        var columnOptions = (await session.QueryAsync(
            "SELECT a.attrelid, a.attname::text, ARRAY(SELECT quote_ident(o.option_name) || ' ' || quote_literal(o.option_value) FROM pg_options_to_table(a.attfdwoptions) o) " +
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relkind = 'f' AND a.attfdwoptions IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped",
            r => (Table: r.Oid(0), Column: r.GetString(1), Options: r.GetFieldValue<string[]>(2)),
            cancellationToken)).ToLookup(x => x.Table);
        return await session.QueryAsync(
            "SELECT c.oid, n.nspname::text, c.relname::text, s.srvname::text, " +
            "ARRAY(SELECT quote_ident(o.option_name) || ' ' || quote_literal(o.option_value) FROM pg_options_to_table(ft.ftoptions) o), obj_description(c.oid, 'pg_class') " +
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_foreign_table ft ON ft.ftrelid = c.oid JOIN pg_foreign_server s ON s.oid = ft.ftserver " +
            $"WHERE c.relkind = 'f' AND NOT c.relispartition AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} ORDER BY 2, 3",
            r => new ForeignTableInfo(
                new(ObjectAddress.PgClass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), columns[r.Oid(0)].ToList(),
                columnOptions[r.Oid(0)].ToDictionary(x => x.Column, x => (IReadOnlyList<string>)x.Options), r.GetString(3), r.GetFieldValue<string[]>(4), r.Text(5)),
            cancellationToken);
    }

    private static Task<List<ColumnDefault>> ReadDefaultsAsync(Session session, int v, uint[] relations, CancellationToken cancellationToken)
    {
        var notGenerated = v >= 120000 ? "AND a.attgenerated = ''" : string.Empty;
        return session.QueryAsync(
            "SELECT ad.oid, n.nspname::text, c.relname::text, a.attname::text, pg_get_expr(ad.adbin, ad.adrelid) " +
            "FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum " +
            $"WHERE ad.adrelid = ANY(@relations) AND NOT a.attisdropped {notGenerated} ORDER BY 2, 3, a.attnum",
            r => new ColumnDefault(new(ObjectAddress.PgAttrdef, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4)),
            cancellationToken,
            ("relations", relations));
    }

    // NOT NULL constraints (PostgreSQL 18) are written with their columns; only those added after the rows
    // (NOT VALID) or carrying a comment need a constraint of their own.
    private static Task<List<ConstraintInfo>> ReadConstraintsAsync(Session session, uint[] tables, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT con.oid, n.nspname::text, c.relname::text, con.conname::text, con.contype::text, pg_get_constraintdef(con.oid), con.conislocal, con.coninhcount, " +
            "con.convalidated, con.conparentid, obj_description(con.oid, 'pg_constraint'), rn.nspname::text, rc.relname::text " +
            "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "LEFT JOIN pg_class rc ON rc.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace " +
            "WHERE con.conrelid = ANY(@tables) AND (con.contype IN ('p', 'u', 'f', 'c', 'x') " +
            "  OR (con.contype = 'n' AND (NOT con.convalidated OR obj_description(con.oid, 'pg_constraint') IS NOT NULL))) ORDER BY 2, 3, 4",
            r => new ConstraintInfo(new(ObjectAddress.PgConstraint, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), CatalogCodes.ConstraintTypeOf(r.GetString(4)),
                r.GetString(5), r.GetBoolean(6), r.GetInt32(7), r.GetBoolean(8), r.Oid(9), r.Text(10))
            {
                References = r.Text(11) is { } schema ? new(schema, r.GetString(12)) : null,
            },
            cancellationToken,
            ("tables", tables));

    private static Task<List<IndexInfo>> ReadIndexesAsync(Session session, uint[] relations, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT i.indexrelid, tn.nspname::text, t.relname::text, n.nspname::text, ic.relname::text, pg_get_indexdef(i.indexrelid), " +
            "(SELECT con.conname::text FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')), " +
            "(SELECT pn.nspname::text FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE inh.inhrelid = i.indexrelid), " +
            "(SELECT p.relname::text FROM pg_inherits inh JOIN pg_class p ON p.oid = inh.inhparent WHERE inh.inhrelid = i.indexrelid), " +
            "i.indisclustered, i.indisreplident, obj_description(i.indexrelid, 'pg_class'), " +
            "ARRAY(SELECT a.attnum::int FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0 ORDER BY a.attnum), " +
            "ARRAY(SELECT a.attstattarget::int FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0 ORDER BY a.attnum) " +
            "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace " +
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace " +
            "WHERE i.indrelid = ANY(@relations) AND (i.indisvalid OR ic.relkind = 'I') ORDER BY 4, 5",
            r => new IndexInfo(new(ObjectAddress.PgClass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), new(r.GetString(3), r.GetString(4)), r.GetString(5),
                r.Text(6), r.IsDBNull(7) ? null : new(r.GetString(7), r.GetString(8)), r.GetBoolean(9), r.GetBoolean(10), r.Text(11))
            {
                StatisticsTargets = r.GetFieldValue<int[]>(12).Zip(r.GetFieldValue<int[]>(13), (column, target) => new KeyValuePair<int, int>(column, target)).ToList(),
            },
            cancellationToken,
            ("relations", relations));

    private static async Task<List<ViewInfo>> ReadViewsAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var columnComments = (await session.QueryAsync(
            "SELECT a.attrelid, a.attname::text, d.description FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid " +
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            $"WHERE d.classoid = 'pg_class'::regclass AND d.objsubid > 0 AND c.relkind IN ('v', 'm') AND {UserSchema} ORDER BY 1, a.attnum",
            r => (View: r.Oid(0), Comment: new ColumnComment(r.GetString(1), r.GetString(2))),
            cancellationToken)).ToLookup(x => x.View, x => x.Comment);
        var accessMethod = v >= 120000 ? "(SELECT am.amname::text FROM pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap')" : "NULL::text";
        return await session.QueryAsync(
            $"SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid), coalesce(c.reloptions, '{{}}'), {accessMethod}, c.relispopulated, obj_description(c.oid, 'pg_class') " +
            $"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} ORDER BY 2, 3",
            r => new ViewInfo(new(ObjectAddress.PgClass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetBoolean(3), r.GetString(4).TrimEnd().TrimEnd(';'),
                r.GetFieldValue<string[]>(5), r.Text(6), r.GetBoolean(7), columnComments[r.Oid(0)].ToList(), r.Text(8)),
            cancellationToken);
    }

    private static Task<List<RoutineInfo>> ReadRoutinesAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT p.oid, n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid), p.prokind::text, pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc') " +
            $"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('f', 'p', 'w') AND {UserSchema} AND {NotExtensionMemberOrImplicit("pg_proc", "p.oid")} ORDER BY 2, 3, 4",
            r => new RoutineInfo(new(ObjectAddress.PgProc, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), CatalogCodes.RoutineKindOf(r.GetString(4)), r.GetString(5).TrimEnd(), r.Text(6)),
            cancellationToken);

    private static Task<List<AggregateInfo>> ReadAggregatesAsync(Session session, CancellationToken cancellationToken)
    {
        static string Proc(string column) => $"CASE WHEN a.{column} <> 0 THEN a.{column}::regproc::text END";
        static string Modify(string column) => $"CASE a.{column} WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' WHEN 'w' THEN 'READ_WRITE' END";
        return session.QueryAsync(
            "SELECT p.oid, n.nspname::text, p.proname::text, pg_get_function_arguments(p.oid), pg_get_function_identity_arguments(p.oid), a.aggkind::text, " +
            $"{Proc("aggtransfn")}, format_type(a.aggtranstype, NULL), a.aggtransspace, {Proc("aggfinalfn")}, a.aggfinalextra, {Modify("aggfinalmodify")}, " +
            $"{Proc("aggcombinefn")}, {Proc("aggserialfn")}, {Proc("aggdeserialfn")}, a.agginitval, " +
            $"{Proc("aggmtransfn")}, {Proc("aggminvtransfn")}, CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END, a.aggmtransspace, " +
            $"{Proc("aggmfinalfn")}, a.aggmfinalextra, {Modify("aggmfinalmodify")}, a.aggminitval, " +
            "(SELECT 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')' FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace WHERE o.oid = a.aggsortop), " +
            "CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' END, obj_description(p.oid, 'pg_proc') " +
            "FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid JOIN pg_namespace n ON n.oid = p.pronamespace " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_proc", "p.oid")} ORDER BY 2, 3, 5",
            r =>
            {
                var options = new List<KeyValuePair<string, string>>();
                void Add(string key, string? value)
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        options.Add(new(key, value));
                    }
                }

                Add("SFUNC", r.Text(6));
                Add("STYPE", r.Text(7));
                Add("SSPACE", r.GetInt32(8) > 0 ? r.GetInt32(8).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
                Add("FINALFUNC", r.Text(9));
                if (r.Text(9) is not null)
                {
                    Add("FINALFUNC_EXTRA", r.GetBoolean(10) ? "true" : null);
                    Add("FINALFUNC_MODIFY", r.Text(11));
                }

                Add("COMBINEFUNC", r.Text(12));
                Add("SERIALFUNC", r.Text(13));
                Add("DESERIALFUNC", r.Text(14));
                Add("INITCOND", r.Text(15) is { } init ? SqlText.Literal(init) : null);
                Add("MSFUNC", r.Text(16));
                Add("MINVFUNC", r.Text(17));
                Add("MSTYPE", r.Text(18));
                Add("MSSPACE", r.GetInt32(19) > 0 ? r.GetInt32(19).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
                Add("MFINALFUNC", r.Text(20));
                if (r.Text(20) is not null)
                {
                    Add("MFINALFUNC_EXTRA", r.GetBoolean(21) ? "true" : null);
                    Add("MFINALFUNC_MODIFY", r.Text(22));
                }

                Add("MINITCOND", r.Text(23) is { } minit ? SqlText.Literal(minit) : null);
                Add("SORTOP", r.Text(24));
                Add("PARALLEL", r.Text(25));
                if (CatalogCodes.AggregateKindOf(r.GetString(5)) == AggregateKind.Hypothetical)
                {
                    options.Add(new("HYPOTHETICAL", string.Empty));
                }

                return new AggregateInfo(new(ObjectAddress.PgProc, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4), options, r.Text(26));
            },
            cancellationToken);
    }

    private static Task<List<OperatorInfo>> ReadOperatorsAsync(Session session, CancellationToken cancellationToken)
    {
        static string OperatorRef(string column) =>
            $"(SELECT 'OPERATOR(' || quote_ident(rn.nspname) || '.' || ro.oprname || ')' FROM pg_operator ro JOIN pg_namespace rn ON rn.oid = ro.oprnamespace WHERE ro.oid = o.{column})";
        return session.QueryAsync(
            "SELECT o.oid, n.nspname::text, o.oprname::text, CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END, format_type(o.oprright, NULL), o.oprcode::regproc::text, " +
            $"{OperatorRef("oprcom")}, {OperatorRef("oprnegate")}, CASE WHEN o.oprrest <> 0 THEN o.oprrest::regproc::text END, CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::regproc::text END, " +
            "o.oprcanhash, o.oprcanmerge, obj_description(o.oid, 'pg_operator') " +
            "FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace " +
            $"WHERE o.oprright <> 0 AND o.oprcode <> 0 AND {UserSchema} AND {NotExtensionMember("pg_operator", "o.oid")} ORDER BY 2, 3, 4, 5",
            r => new OperatorInfo(new(ObjectAddress.PgOperator, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.Text(3), r.GetString(4), r.GetString(5),
                r.Text(6), r.Text(7), r.Text(8), r.Text(9), r.GetBoolean(10), r.GetBoolean(11), r.Text(12)),
            cancellationToken);
    }

    // Members as CREATE OPERATOR CLASS / ALTER OPERATOR FAMILY write them; owner is the class or family they depend on.
    private const string OperatorMembers =
        "SELECT d.refobjid AS owner, d.deptype, 1 AS kind, o.amopstrategy AS number, " +
        "'OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::regoperator::text || " +
        "CASE WHEN o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || (SELECT quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname) FROM pg_opfamily sf JOIN pg_namespace sn ON sn.oid = sf.opfnamespace WHERE sf.oid = o.amopsortfamily) ELSE '' END AS item " +
        "FROM pg_amop o JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = o.oid AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass) " +
        "UNION ALL SELECT d.refobjid, d.deptype, 2, p.amprocnum, " +
        "'FUNCTION ' || p.amprocnum || ' (' || format_type(p.amproclefttype, NULL) || ', ' || format_type(p.amprocrighttype, NULL) || ') ' || p.amproc::regprocedure::text " +
        "FROM pg_amproc p JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = p.oid AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)";

    private static async Task<List<OperatorFamilyInfo>> ReadOperatorFamiliesAsync(Session session, CancellationToken cancellationToken)
    {
        var loose = (await session.QueryAsync(
            $"SELECT m.owner, m.item FROM ({OperatorMembers}) m WHERE m.deptype = 'a' ORDER BY m.owner, m.kind, m.number, m.item",
            r => (Family: r.Oid(0), Item: r.GetString(1)),
            cancellationToken)).ToLookup(x => x.Family, x => x.Item);
        return await session.QueryAsync(
            "SELECT f.oid, n.nspname::text, f.opfname::text, am.amname::text, obj_description(f.oid, 'pg_opfamily') " +
            "FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_opfamily", "f.oid")} ORDER BY 2, 3, 4",
            r => new OperatorFamilyInfo(new(ObjectAddress.PgOpfamily, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), loose[r.Oid(0)].ToList(), r.Text(4)),
            cancellationToken);
    }

    private static async Task<List<OperatorClassInfo>> ReadOperatorClassesAsync(Session session, CancellationToken cancellationToken)
    {
        var members = (await session.QueryAsync(
            $"SELECT m.owner, m.item FROM ({OperatorMembers}) m WHERE m.deptype = 'i' ORDER BY m.owner, m.kind, m.number, m.item",
            r => (Class: r.Oid(0), Item: r.GetString(1)),
            cancellationToken)).ToLookup(x => x.Class, x => x.Item);
        return await session.QueryAsync(
            "SELECT c.oid, n.nspname::text, c.opcname::text, am.amname::text, c.opcdefault, format_type(c.opcintype, NULL), " +
            "quote_ident(fn.nspname) || '.' || quote_ident(f.opfname), CASE WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype THEN format_type(c.opckeytype, NULL) END, " +
            "obj_description(c.oid, 'pg_opclass') " +
            "FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod " +
            "JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace " +
            $"WHERE {UserSchema} AND {NotExtensionMember("pg_opclass", "c.oid")} ORDER BY 2, 3, 4",
            r => new OperatorClassInfo(new(ObjectAddress.PgOpclass, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetBoolean(4), r.GetString(5),
                r.GetString(6), r.Text(7), members[r.Oid(0)].ToList(), r.Text(8)),
            cancellationToken);
    }

    private static Task<List<CastInfo>> ReadCastsAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT c.oid, format_type(c.castsource, NULL), format_type(c.casttarget, NULL), CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END, " +
            "c.castmethod::text, c.castcontext::text, obj_description(c.oid, 'pg_cast') " +
            $"FROM pg_cast c WHERE c.oid >= 16384 AND {NotExtensionMemberOrImplicit("pg_cast", "c.oid")} ORDER BY 2, 3",
            r => new CastInfo(new(ObjectAddress.PgCast, r.Oid(0)), r.GetString(1), r.GetString(2), r.Text(3), CatalogCodes.CastMethodOf(r.GetString(4)), CatalogCodes.CastContextOf(r.GetString(5)), r.Text(6)),
            cancellationToken);

    private static Task<List<TriggerInfo>> ReadTriggersAsync(Session session, int v, uint[] relations, CancellationToken cancellationToken)
    {
        // Partitions carry clones of their parent's triggers: tgparentid from 13 on, tgisinternal before.
        var notCloned = v >= 130000 ? "AND t.tgparentid = 0" : string.Empty;
        return session.QueryAsync(
            "SELECT t.oid, n.nspname::text, c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled::text, obj_description(t.oid, 'pg_trigger') " +
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            $"WHERE t.tgrelid = ANY(@relations) AND NOT t.tgisinternal {notCloned} ORDER BY 2, 3, 4",
            r => new TriggerInfo(new(ObjectAddress.PgTrigger, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4), CatalogCodes.FiringModeOf(r.GetString(5), "pg_trigger.tgenabled"), r.Text(6)),
            cancellationToken,
            ("relations", relations));
    }

    private static Task<List<RuleInfo>> ReadRulesAsync(Session session, uint[] relations, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT r.oid, n.nspname::text, c.relname::text, r.rulename::text, pg_get_ruledef(r.oid), r.ev_enabled::text, obj_description(r.oid, 'pg_rewrite') " +
            "FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE r.ev_class = ANY(@relations) AND r.rulename <> '_RETURN' ORDER BY 2, 3, 4",
            r => new RuleInfo(new(ObjectAddress.PgRewrite, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4).TrimEnd(), CatalogCodes.FiringModeOf(r.GetString(5), "pg_rewrite.ev_enabled"), r.Text(6)),
            cancellationToken,
            ("relations", relations));

    private static Task<List<PolicyInfo>> ReadPoliciesAsync(Session session, uint[] tables, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT p.oid, n.nspname::text, c.relname::text, p.polname::text, p.polpermissive, p.polcmd::text, " +
            "ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r), " +
            "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), obj_description(p.oid, 'pg_policy') " +
            "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE p.polrelid = ANY(@tables) ORDER BY 2, 3, 4",
            r => new PolicyInfo(new(ObjectAddress.PgPolicy, r.Oid(0)), new(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetBoolean(4), CatalogCodes.PolicyCommandOf(r.GetString(5)),
                r.GetFieldValue<string[]>(6), r.Text(7), r.Text(8), r.Text(9)),
            cancellationToken,
            ("tables", tables));

    private static Task<List<StatisticsInfo>> ReadStatisticsAsync(Session session, uint[] tables, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT s.oid, n.nspname::text, s.stxname::text, tn.nspname::text, tc.relname::text, pg_get_statisticsobjdef(s.oid), obj_description(s.oid, 'pg_statistic_ext') " +
            "FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace JOIN pg_class tc ON tc.oid = s.stxrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace " +
            $"WHERE s.stxrelid = ANY(@tables) AND {NotExtensionMember("pg_statistic_ext", "s.oid")} ORDER BY 2, 3",
            r => new StatisticsInfo(new(ObjectAddress.PgStatisticExt, r.Oid(0)), new(r.GetString(1), r.GetString(2)), new(r.GetString(3), r.GetString(4)), r.GetString(5), r.Text(6)),
            cancellationToken,
            ("tables", tables));

    private static async Task<List<PrivilegeInfo>> ReadPrivilegesAsync(Session session, CancellationToken cancellationToken)
    {
        var columnGrants = (await session.QueryAsync(
            "SELECT a.attrelid, a.attname::text, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END, x.privilege_type, x.is_grantable " +
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(a.attacl) x " +
            $"WHERE a.attacl IS NOT NULL AND NOT a.attisdropped AND a.attnum > 0 AND {UserSchema} ORDER BY 1, 2, 3, 4",
            r => (Relation: r.Oid(0), Entry: new AclEntry(r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetString(1))),
            cancellationToken)).ToLookup(x => x.Relation, x => x.Entry);

        // One row per object: catalog, oid, GRANT type, ALTER ... OWNER type, SQL name, owner, acl.
        var objects =
            "SELECT 'pg_namespace'::regclass::oid AS classid, n.oid, 'SCHEMA' AS grant_type, 'SCHEMA' AS owner_type, quote_ident(n.nspname) AS name, n.nspowner AS owner, n.nspacl AS acl " +
            $"FROM pg_namespace n WHERE {UserSchema} AND n.nspname <> 'public' AND {NotExtensionMember("pg_namespace", "n.oid")} " +
            "UNION ALL SELECT 'pg_class'::regclass::oid, c.oid, CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, " +
            "CASE WHEN c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass) THEN NULL " +
            "  ELSE CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END END, " +
            "quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relowner, c.relacl " +
            $"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} " +
            "UNION ALL SELECT 'pg_proc'::regclass::oid, p.oid, CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, " +
            "CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, " +
            "quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner, p.proacl " +
            $"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {UserSchema} AND {NotExtensionMemberOrImplicit("pg_proc", "p.oid")} " +
            "UNION ALL SELECT 'pg_type'::regclass::oid, t.oid, CASE WHEN t.typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END, CASE WHEN t.typtype = 'd' THEN 'DOMAIN' ELSE 'TYPE' END, " +
            "quote_ident(n.nspname) || '.' || quote_ident(t.typname), t.typowner, t.typacl " +
            "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace " +
            $"WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) AND {UserSchema} AND {NotExtensionMember("pg_type", "t.oid")} " +
            "UNION ALL SELECT 'pg_foreign_server'::regclass::oid, s.oid, 'FOREIGN SERVER', 'SERVER', quote_ident(s.srvname), s.srvowner, s.srvacl " +
            $"FROM pg_foreign_server s WHERE {NotExtensionMember("pg_foreign_server", "s.oid")} " +
            "UNION ALL SELECT 'pg_collation'::regclass::oid, c.oid, 'COLLATION', 'COLLATION', quote_ident(n.nspname) || '.' || quote_ident(c.collname), c.collowner, NULL " +
            $"FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_collation", "c.oid")} " +
            "UNION ALL SELECT 'pg_ts_dict'::regclass::oid, d.oid, 'TEXT SEARCH DICTIONARY', 'TEXT SEARCH DICTIONARY', quote_ident(n.nspname) || '.' || quote_ident(d.dictname), d.dictowner, NULL " +
            $"FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_ts_dict", "d.oid")} " +
            "UNION ALL SELECT 'pg_ts_config'::regclass::oid, c.oid, 'TEXT SEARCH CONFIGURATION', 'TEXT SEARCH CONFIGURATION', quote_ident(n.nspname) || '.' || quote_ident(c.cfgname), c.cfgowner, NULL " +
            $"FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_ts_config", "c.oid")} " +
            "UNION ALL SELECT 'pg_operator'::regclass::oid, o.oid, 'OPERATOR', 'OPERATOR', " +
            "quote_ident(n.nspname) || '.' || o.oprname || ' (' || coalesce(format_type(o.oprleft, NULL), 'NONE') || ', ' || format_type(o.oprright, NULL) || ')', o.oprowner, NULL " +
            $"FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE {UserSchema} AND {NotExtensionMember("pg_operator", "o.oid")} " +
            "UNION ALL SELECT 'pg_publication'::regclass::oid, p.oid, 'PUBLICATION', 'PUBLICATION', quote_ident(p.pubname), p.pubowner, NULL FROM pg_publication p " +
            "UNION ALL SELECT 'pg_event_trigger'::regclass::oid, e.oid, 'EVENT TRIGGER', 'EVENT TRIGGER', quote_ident(e.evtname), e.evtowner, NULL " +
            $"FROM pg_event_trigger e WHERE {NotExtensionMember("pg_event_trigger", "e.oid")}";
        var rows = await session.QueryAsync(
            $"SELECT o.classid, o.oid, o.grant_type, o.owner_type, o.name, pg_get_userbyid(o.owner)::text, {AclSql.Columns("o.acl")} " +
            $"FROM ({objects}) o ORDER BY 3, 5",
            r =>
            {
                var address = new ObjectAddress(r.Oid(0), r.Oid(1));
                var columns = address.ClassId == ObjectAddress.PgClass ? columnGrants[address.ObjectId].ToList() : [];
                return new PrivilegeInfo(address, r.GetString(2), r.Text(3), r.GetString(4), r.GetString(5), AclSql.Read(r, 6), columns);
            },
            cancellationToken);
        return rows;
    }

    private static Task<List<EventTriggerInfo>> ReadEventTriggersAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT e.oid, e.evtname::text, e.evtevent::text, coalesce(e.evttags, '{}')::text[], e.evtfoid::regproc::text, e.evtenabled::text, obj_description(e.oid, 'pg_event_trigger') " +
            $"FROM pg_event_trigger e WHERE {NotExtensionMember("pg_event_trigger", "e.oid")} ORDER BY 2",
            r => new EventTriggerInfo(new(ObjectAddress.PgEventTrigger, r.Oid(0)), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.GetString(4), CatalogCodes.FiringModeOf(r.GetString(5), "pg_event_trigger.evtenabled"), r.Text(6)),
            cancellationToken);

    private static async Task<List<PublicationInfo>> ReadPublicationsAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var filterAndColumns = v >= 150000
            ? "pg_get_expr(pr.prqual, pr.prrelid), ARRAY(SELECT a.attname::text FROM unnest(pr.prattrs) k JOIN pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k)"
            : "NULL::text, ARRAY[]::text[]";
        var tables = (await session.QueryAsync(
            $"SELECT pr.prpubid, n.nspname::text, c.relname::text, {filterAndColumns} FROM pg_publication_rel pr JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY 1, 2, 3",
            r => (Publication: r.Oid(0), Table: new PublicationTable(new(r.GetString(1), r.GetString(2)), r.GetFieldValue<string[]>(4), r.Text(3))),
            cancellationToken)).ToLookup(x => x.Publication, x => x.Table);
        var schemas = v >= 150000
            ? (await session.QueryAsync(
                "SELECT pn.pnpubid, n.nspname::text FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid ORDER BY 1, 2",
                r => (Publication: r.Oid(0), Schema: r.GetString(1)),
                cancellationToken)).ToLookup(x => x.Publication, x => x.Schema)
            : Array.Empty<(uint Publication, string Schema)>().ToLookup(x => x.Publication, x => x.Schema);
        var viaRoot = v >= 130000 ? "p.pubviaroot" : "false";
        return await session.QueryAsync(
            "SELECT p.oid, p.pubname::text, p.puballtables, " +
            "array_to_string(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END], ', '), " +
            $"{viaRoot}, obj_description(p.oid, 'pg_publication') FROM pg_publication p ORDER BY 2",
            r => new PublicationInfo(new(ObjectAddress.PgPublication, r.Oid(0)), r.GetString(1), r.GetBoolean(2), r.GetString(3), r.GetBoolean(4),
                tables[r.Oid(0)].ToList(), schemas[r.Oid(0)].ToList(), r.Text(5)),
            cancellationToken);
    }

    // Normal, automatic, internal and partition dependencies among user objects (oids from 16384 on).
    private static Task<List<Dependency>> ReadDependenciesAsync(Session session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT DISTINCT classid, objid, refclassid, refobjid FROM pg_depend WHERE deptype IN ('n', 'a', 'i', 'I', 'P', 'S') AND objid >= 16384 AND refobjid >= 16384",
            r => new Dependency(new(r.Oid(0), r.Oid(1)), new(r.Oid(2), r.Oid(3))),
            cancellationToken);

    private static Task<List<AddressAlias>> ReadAliasesAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var multirange = v >= 140000 ? "UNION ALL SELECT 'pg_type'::regclass::oid, rngmultitypid, 'pg_type'::regclass::oid, rngtypid FROM pg_range WHERE rngtypid >= 16384 " : string.Empty;
        return session.QueryAsync(
            "SELECT 'pg_type'::regclass::oid, t.oid, 'pg_class'::regclass::oid, t.typrelid FROM pg_type t WHERE t.typrelid <> 0 AND t.oid >= 16384 " +
            "UNION ALL SELECT 'pg_type'::regclass::oid, t.typarray, 'pg_type'::regclass::oid, t.oid FROM pg_type t WHERE t.typarray <> 0 AND t.oid >= 16384 " +
            multirange +
            "UNION ALL SELECT 'pg_rewrite'::regclass::oid, r.oid, 'pg_class'::regclass::oid, r.ev_class FROM pg_rewrite r WHERE r.rulename = '_RETURN' AND r.oid >= 16384 " +
            "UNION ALL SELECT 'pg_constraint'::regclass::oid, c.oid, 'pg_type'::regclass::oid, c.contypid FROM pg_constraint c WHERE c.contypid <> 0 AND c.oid >= 16384 " +
            "UNION ALL SELECT d.classid, d.objid, d.refclassid, d.refobjid FROM pg_depend d WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass " +
            // Members of operator classes and families stand for the class or family that holds them.
            "UNION ALL SELECT d.classid, d.objid, d.refclassid, d.refobjid FROM pg_depend d WHERE d.classid IN ('pg_amop'::regclass, 'pg_amproc'::regclass) " +
            "AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass) AND d.deptype IN ('i', 'a') " +
            // Defaults and constraints emitted inside their table's step (generation expressions, checks) stand for the table.
            "UNION ALL SELECT 'pg_attrdef'::regclass::oid, ad.oid, 'pg_class'::regclass::oid, ad.adrelid FROM pg_attrdef ad WHERE ad.oid >= 16384 " +
            "UNION ALL SELECT 'pg_constraint'::regclass::oid, c.oid, 'pg_class'::regclass::oid, c.conrelid FROM pg_constraint c WHERE c.conrelid <> 0 AND c.oid >= 16384",
            r => new AddressAlias(new(r.Oid(0), r.Oid(1)), new(r.Oid(2), r.Oid(3))),
            cancellationToken);
    }
}
