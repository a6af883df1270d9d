namespace PgMigration.Core.Catalog;

/// <summary>
/// Finds what a real database may hold that pgmigrate does not recreate, so the plan and the report say
/// "not migrated: ..." instead of dropping it silently.
/// </summary>
internal static class UnsupportedObjectDetector
{
    private const string UserSchema =
        "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

    private static string NotExtensionMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{catalog}'::regclass AND x.objid = {oid} AND x.deptype = 'e')";

    // Each check selects the object's catalog and oid (so objects that depend on it can be left out too) and its name.
    private static string InUserSchema(string catalog, string alias, string nameColumn, string namespaceColumn) =>
        $"SELECT '{catalog}'::regclass::oid, {alias}.oid, quote_ident(n.nspname) || '.' || quote_ident({alias}.{nameColumn}) FROM {catalog} {alias} JOIN pg_namespace n ON n.oid = {alias}.{namespaceColumn} " +
        $"WHERE {UserSchema} AND {NotExtensionMember(catalog, alias + ".oid")}";

    private static string Global(string catalog, string alias, string nameColumn, string where = "true") =>
        $"SELECT '{catalog}'::regclass::oid, {alias}.oid, quote_ident({alias}.{nameColumn}::text) FROM {catalog} {alias} WHERE {where}";

    private const string NoAddress = "SELECT NULL::oid, NULL::oid, ";

    public static async Task<List<UnsupportedObject>> DetectAsync(Session session, int v, CancellationToken cancellationToken)
    {
        var checks = new List<(string Kind, string Sql, string Reason)>
        {
            ("foreign table", InUserSchema("pg_class", "c", "relname", "relnamespace") + " AND c.relkind = 'f' AND (c.relispartition OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid))",
                "foreign tables that are partitions or inherit are not migrated; create them on the target"),
            ("foreign-data wrapper", Global("pg_foreign_data_wrapper", "w", "fdwname", NotExtensionMember("pg_foreign_data_wrapper", "w.oid")),
                "foreign-data wrappers are not migrated"),
            ("user mapping", NoAddress + "quote_ident(m.usename) || ' on server ' || quote_ident(m.srvname) FROM pg_user_mappings m",
                "user mappings hold credentials and are not migrated; create them on the target"),
            ("subscription", NoAddress + "quote_ident(s.subname) FROM pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                "subscriptions are not migrated"),
            ("text search parser", InUserSchema("pg_ts_parser", "p", "prsname", "prsnamespace"), "text search parsers are not migrated"),
            ("text search template", InUserSchema("pg_ts_template", "t", "tmplname", "tmplnamespace"), "text search templates are not migrated"),
            ("conversion", InUserSchema("pg_conversion", "c", "conname", "connamespace"), "encoding conversions are not migrated"),
            ("base type", InUserSchema("pg_type", "t", "typname", "typnamespace") + " AND t.typtype IN ('b', 'p') AND t.typcategory <> 'A'",
                "base and shell types (written in C) are not migrated; install the extension or library that defines them"),
            ("postfix operator", InUserSchema("pg_operator", "o", "oprname", "oprnamespace") + " AND o.oprright = 0", "postfix operators do not exist from PostgreSQL 14 on"),
            ("procedural language", Global("pg_language", "l", "lanname", $"l.oid >= 16384 AND {NotExtensionMember("pg_language", "l.oid")}"),
                "procedural languages outside extensions are not migrated"),
            ("access method", Global("pg_am", "a", "amname", $"a.oid >= 16384 AND {NotExtensionMember("pg_am", "a.oid")}"), "access methods outside extensions are not migrated"),
            ("tablespace", $"SELECT DISTINCT NULL::oid, NULL::oid, quote_ident(ts.spcname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_tablespace ts ON ts.oid = c.reltablespace WHERE {UserSchema}",
                "relations are created in the target's default tablespace"),
            ("privileges", $"SELECT NULL::oid, NULL::oid, 'grants on ' || count(*)::text || ' relation(s)' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relacl IS NOT NULL AND {UserSchema} AND {NotExtensionMember("pg_class", "c.oid")} HAVING count(*) > 0",
                "owners and grants are not migrated: objects belong to the target user; grant access on the target"),
            ("default privileges", NoAddress + "count(*)::text || ' entr(y/ies)' FROM pg_default_acl HAVING count(*) > 0", "ALTER DEFAULT PRIVILEGES settings are not migrated"),
        };
        if (v < 120000)
        {
            // No address: the table itself is migrated.
            checks.Add(("table WITH OIDS", NoAddress + "quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                $"WHERE c.relhasoids AND {UserSchema}",
                "PostgreSQL 12 removed WITH OIDS: the table is created without its hidden oid column"));
        }

        var found = new List<UnsupportedObject>();
        foreach (var (kind, sql, reason) in checks)
        {
            found.AddRange(await session.QueryAsync(
                sql + " ORDER BY 3",
                r => new UnsupportedObject(kind, r.GetString(2), reason) { Address = r.IsDBNull(0) ? null : new ObjectAddress(r.Oid(0), r.Oid(1)) },
                cancellationToken));
        }

        return found;
    }
}
