using System.Diagnostics;
using System.Globalization;
using System.Text;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// Turns a catalog into ordered DDL. Tables are created bare (columns, NOT NULL, checks) so COPY is fast;
/// keys, indexes, foreign keys, triggers, RLS and rules come after the data. Inside each stage steps
/// are ordered by pg_depend, ties broken by kind and then name, as pg_dump does.
/// </summary>
public static class SchemaScriptBuilder
{
    // Separates the statements of one step; the server parses each on its own (BEGIN ATOMIC bodies hold semicolons).
    internal const char StatementBreak = '\u001E';

    public static SchemaScript Build(DatabaseCatalog catalog, CatalogFilter? filter = null)
    {
        var graph = new DraftGraph(catalog);
        AddSchemasAndTypes(graph, catalog);
        AddRelations(graph, catalog);
        AddRoutines(graph, catalog);
        AddPostData(graph, catalog);
        var filteredOut = AddPublications(graph, catalog, filter ?? CatalogFilter.None);
        AddEventTriggers(graph, catalog);
        AddOwnersAndGrants(graph, catalog);
        foreach (var unsupported in catalog.Unsupported.Where(u => u.Address is not null))
        {
            graph.AddUnsupported(unsupported);
        }

        graph.LinkDependencies();
        var leftOut = graph.DropDependentsOfUnsupported();
        graph.DeferPreDataThatNeedsPostData();
        var broken = graph.ApplyFilter(filter ?? CatalogFilter.None);
        filteredOut.AddRange(graph.FilteredOut(SchemaObjectKind.ForeignServer).Select(name => $"foreign server {name}: no included foreign table uses it"));
        if (catalog.LargeObjects > 0 && filter is { IsEmpty: false })
        {
            filteredOut.Add($"{Num(catalog.LargeObjects)} large object(s): they belong to the whole database, not to a schema, so only a migration without --include/--exclude copies them");
        }

        return new SchemaScript(graph.Order(), [.. catalog.Unsupported, .. leftOut]) { BrokenDependencies = broken, FilteredOut = filteredOut };
    }

    private static string Id(string name) => SqlText.Identifier(name);

    private static string Lit(string value) => SqlText.Literal(value);

    private static string Comment(string target, string? comment) =>
        comment is null ? string.Empty : $"{StatementBreak}COMMENT ON {target} IS {Lit(comment)};";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Options(IEnumerable<string> options)
    {
        // reloptions come as name=value; values that are not plain words or numbers are quoted.
        var rendered = options.Select(o =>
        {
            var eq = o.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return o;
            }

            var value = o[(eq + 1)..];
            var plain = value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
            return o[..eq] + "=" + (plain ? value : Lit(value));
        }).ToList();
        return rendered.Count == 0 ? string.Empty : $" WITH ({string.Join(", ", rendered)})";
    }

    private static void AddSchemasAndTypes(DraftGraph g, DatabaseCatalog catalog)
    {
        foreach (var schema in catalog.Schemas.Where(s => s.Name != "public"))
        {
            var d = g.Add(schema.Address, SchemaStage.PreData, SchemaObjectKind.Schema, Id(schema.Name),
                $"CREATE SCHEMA {Id(schema.Name)};" + Comment($"SCHEMA {Id(schema.Name)}", schema.Comment), null, schema.Name, $"schema:{schema.Name}");
            d.IsSupport = true;
        }

        // public exists in every database; only a comment the user changed needs carrying over.
        if (catalog.Schemas.FirstOrDefault(s => s.Name == "public") is { } publicSchema && publicSchema.Comment != "standard public schema")
        {
            g.Add(null, SchemaStage.PreData, SchemaObjectKind.Schema, "public",
                $"COMMENT ON SCHEMA public IS {(publicSchema.Comment is null ? "NULL" : Lit(publicSchema.Comment))};", null, "public", null);
        }

        // plpgsql is in every database already.
        foreach (var extension in catalog.Extensions.Where(e => e.Name != "plpgsql"))
        {
            // The comment too: the extension script sets one, but the user may have changed it.
            var d = g.Add(extension.Address, SchemaStage.PreData, SchemaObjectKind.Extension, Id(extension.Name),
                $"CREATE EXTENSION IF NOT EXISTS {Id(extension.Name)} WITH SCHEMA {Id(extension.Schema)};" + Comment($"EXTENSION {Id(extension.Name)}", extension.Comment),
                null, extension.Schema, null);
            d.IsSupport = true;
            foreach (var config in extension.ConfigurationRows)
            {
                var values = string.Join(",\n    ", config.Rows.Select(row => $"({Lit(row)}::{config.Table})"));
                var columns = string.Join(", ", config.Columns);
                var rows = g.Add(null, SchemaStage.PreData, SchemaObjectKind.ExtensionConfiguration, $"rows of {config.Table}",
                    $"INSERT INTO {config.Table} ({columns})\nSELECT {string.Join(", ", config.Columns.Select(c => $"(r.v).{c}"))}\n" +
                    $"FROM (VALUES\n    {values}) AS r(v)\nON CONFLICT DO NOTHING;",
                    null, extension.Schema, null);
                rows.DependsOnAddresses.Add(extension.Address);
            }
        }

        foreach (var c in catalog.Collations)
        {
            var options = new List<string>();
            if (c.Provider == CollationProvider.Icu)
            {
                options.Add("provider = icu");
                options.Add($"locale = {Lit(c.Locale ?? c.Collate ?? string.Empty)}");
                if (c.Rules is not null)
                {
                    options.Add($"rules = {Lit(c.Rules)}");
                }
            }
            else if (c.Provider == CollationProvider.Builtin)
            {
                options.Add("provider = builtin");
                options.Add($"locale = {Lit(c.Locale ?? string.Empty)}");
            }
            else
            {
                options.Add("provider = libc");
                options.Add($"lc_collate = {Lit(c.Collate ?? string.Empty)}");
                options.Add($"lc_ctype = {Lit(c.Ctype ?? string.Empty)}");
            }

            if (!c.Deterministic)
            {
                options.Add("deterministic = false");
            }

            g.Add(c.Address, SchemaStage.PreData, SchemaObjectKind.Collation, c.Name.Sql,
                $"CREATE COLLATION {c.Name} ({string.Join(", ", options)});" + Comment($"COLLATION {c.Name}", c.Comment), null, c.Name.Schema, $"collation:{c.Name.Schema}.{c.Name.Name}");
        }

        foreach (var d in catalog.TextSearchDictionaries)
        {
            var options = d.Options is null ? string.Empty : $",\n    {d.Options}";
            g.Add(d.Address, SchemaStage.PreData, SchemaObjectKind.TextSearchDictionary, d.Name.Sql,
                $"CREATE TEXT SEARCH DICTIONARY {d.Name} (\n    TEMPLATE = {d.Template}{options}\n);" + Comment($"TEXT SEARCH DICTIONARY {d.Name}", d.Comment),
                null, d.Name.Schema, $"tsdict:{d.Name.Schema}.{d.Name.Name}");
        }

        foreach (var c in catalog.TextSearchConfigurations)
        {
            var sql = new StringBuilder($"CREATE TEXT SEARCH CONFIGURATION {c.Name} (\n    PARSER = {c.Parser}\n);");
            foreach (var m in c.Mappings)
            {
                sql.Append($"{StatementBreak}ALTER TEXT SEARCH CONFIGURATION {c.Name}\n    ADD MAPPING FOR {m.TokenType} WITH {string.Join(", ", m.Dictionaries)};");
            }

            sql.Append(Comment($"TEXT SEARCH CONFIGURATION {c.Name}", c.Comment));
            g.Add(c.Address, SchemaStage.PreData, SchemaObjectKind.TextSearchConfiguration, c.Name.Sql, sql.ToString(), null, c.Name.Schema, $"tsconfig:{c.Name.Schema}.{c.Name.Name}");
        }

        foreach (var e in catalog.Enums)
        {
            var labels = string.Join(",\n    ", e.Labels.Select(Lit));
            g.Add(e.Address, SchemaStage.PreData, SchemaObjectKind.EnumType, e.Name.Sql,
                $"CREATE TYPE {e.Name} AS ENUM (\n    {labels}\n);" + Comment($"TYPE {e.Name}", e.Comment), null, e.Name.Schema, TypeKey(e.Name));
        }

        foreach (var t in catalog.CompositeTypes)
        {
            var attributes = string.Join(",\n    ", t.Attributes.Select(a => $"{Id(a.Name)} {a.Type}" + (a.Collation is null ? string.Empty : $" COLLATE {a.Collation}")));
            g.Add(t.Address, SchemaStage.PreData, SchemaObjectKind.CompositeType, t.Name.Sql,
                $"CREATE TYPE {t.Name} AS (\n    {attributes}\n);" + Comment($"TYPE {t.Name}", t.Comment), null, t.Name.Schema, TypeKey(t.Name));
        }

        foreach (var d in catalog.Domains)
        {
            var sql = new StringBuilder($"CREATE DOMAIN {d.Name} AS {d.BaseType}");
            if (d.Collation is not null)
            {
                sql.Append($" COLLATE {d.Collation}");
            }

            if (d.Default is not null)
            {
                sql.Append($" DEFAULT {d.Default}");
            }

            if (d.NotNull)
            {
                sql.Append(" NOT NULL");
            }

            foreach (var c in d.Constraints.Where(c => c.Validated))
            {
                sql.Append($"\n    CONSTRAINT {Id(c.Name)} {c.Definition}");
            }

            sql.Append(';');
            foreach (var c in d.Constraints.Where(c => !c.Validated))
            {
                sql.Append($"{StatementBreak}ALTER DOMAIN {d.Name} ADD CONSTRAINT {Id(c.Name)} {c.Definition};");
            }

            sql.Append(Comment($"DOMAIN {d.Name}", d.Comment));
            foreach (var c in d.Constraints)
            {
                sql.Append(Comment($"CONSTRAINT {Id(c.Name)} ON DOMAIN {d.Name}", c.Comment));
            }

            g.Add(d.Address, SchemaStage.PreData, SchemaObjectKind.Domain, d.Name.Sql, sql.ToString(), null, d.Name.Schema, TypeKey(d.Name));
        }

        foreach (var r in catalog.Ranges)
        {
            var options = new List<string> { $"subtype = {r.Subtype}" };
            if (r.SubtypeOperatorClass is not null)
            {
                options.Add($"subtype_opclass = {r.SubtypeOperatorClass}");
            }

            if (r.Collation is not null)
            {
                options.Add($"collation = {r.Collation}");
            }

            if (r.Canonical is not null)
            {
                options.Add($"canonical = {r.Canonical}");
            }

            if (r.SubtypeDiff is not null)
            {
                options.Add($"subtype_diff = {r.SubtypeDiff}");
            }

            if (r.MultirangeName is not null)
            {
                options.Add($"multirange_type_name = {r.MultirangeName}");
            }

            g.Add(r.Address, SchemaStage.PreData, SchemaObjectKind.RangeType, r.Name.Sql,
                $"CREATE TYPE {r.Name} AS RANGE (\n    {string.Join(",\n    ", options)}\n);" + Comment($"TYPE {r.Name}", r.Comment), null, r.Name.Schema, TypeKey(r.Name));
        }
    }

    private static string TypeKey(QualifiedName name) => $"type:{name.Schema}.{name.Name}";

    private static string RelationKey(QualifiedName name) => $"relation:{name.Schema}.{name.Name}";

    private static string SequenceOptions(SequenceInfo s) =>
        $"START WITH {Num(s.Start)}\n    INCREMENT BY {Num(s.Increment)}\n    MINVALUE {Num(s.MinValue)}\n    MAXVALUE {Num(s.MaxValue)}\n    CACHE {Num(s.Cache)}" +
        (s.Cycle ? "\n    CYCLE" : "\n    NO CYCLE");

    private static void AddRelations(DraftGraph g, DatabaseCatalog catalog)
    {
        foreach (var s in catalog.Sequences)
        {
            if (s.IsIdentity)
            {
                // Created by its identity column; objects that use it wait for the table.
                var table = catalog.Tables.FirstOrDefault(t => t.Name == s.OwnedBy!.Table);
                if (table is not null)
                {
                    g.Alias(s.Address, table.Address);
                }
            }
            else
            {
                var sql = $"CREATE {(s.Unlogged ? "UNLOGGED " : string.Empty)}SEQUENCE {s.Name}\n    AS {s.DataType}\n    {SequenceOptions(s)};";
                if (s.OwnedBy is { } owner)
                {
                    sql += $"{StatementBreak}ALTER SEQUENCE {s.Name} OWNED BY {owner.Table}.{Id(owner.Column)};";
                }

                g.Add(s.Address, SchemaStage.PreData, SchemaObjectKind.Sequence, s.Name.Sql, sql + Comment($"SEQUENCE {s.Name}", s.Comment), s.OwnedBy?.Table ?? s.Name, s.Name.Schema, RelationKey(s.Name));
            }

            if (s.Value is { } value)
            {
                var d = g.Add(null, SchemaStage.SequenceValues, SchemaObjectKind.SequenceValue, s.Name.Sql,
                    SequenceValueStep.Sql(s.Name.Sql, value), s.OwnedBy?.Table ?? s.Name, s.Name.Schema, null);
                d.DependsOnAddresses.Add(s.Address);
            }
        }

        var tables = catalog.Tables.ToDictionary(t => t.Name);
        var constraintsByTable = catalog.Constraints.ToLookup(c => c.Table);
        foreach (var t in catalog.Tables)
        {
            g.Add(t.Address, SchemaStage.PreData, SchemaObjectKind.Table, t.Name.Sql, TableSql(t, tables, constraintsByTable[t.Name]), t.Name, t.Name.Schema, RelationKey(t.Name));
            if (t.RowSecurity || t.ForceRowSecurity)
            {
                var sql = (t.RowSecurity ? $"ALTER TABLE ONLY {t.Name} ENABLE ROW LEVEL SECURITY;" : string.Empty) +
                          (t.ForceRowSecurity ? $"{StatementBreak}ALTER TABLE ONLY {t.Name} FORCE ROW LEVEL SECURITY;" : string.Empty);
                var d = g.Add(null, SchemaStage.TriggersAndSecurity, SchemaObjectKind.RowLevelSecurity, t.Name.Sql, sql.Trim(), t.Name, t.Name.Schema, null);
                d.DependsOnAddresses.Add(t.Address);
            }
        }

        foreach (var server in catalog.ForeignServers)
        {
            var sql = new StringBuilder($"CREATE SERVER {Id(server.Name)}");
            if (server.Type is not null)
            {
                sql.Append($" TYPE {Lit(server.Type)}");
            }

            if (server.Version is not null)
            {
                sql.Append($" VERSION {Lit(server.Version)}");
            }

            sql.Append($" FOREIGN DATA WRAPPER {Id(server.Wrapper)}");
            if (server.Options.Count > 0)
            {
                sql.Append($" OPTIONS (\n    {string.Join(",\n    ", server.Options)}\n)");
            }

            sql.Append(';').Append(Comment($"SERVER {Id(server.Name)}", server.Comment));
            var d = g.Add(server.Address, SchemaStage.PreData, SchemaObjectKind.ForeignServer, Id(server.Name), sql.ToString(), null, null, $"server:{server.Name}");
            d.IsSupport = true;
        }

        foreach (var f in catalog.ForeignTables)
        {
            var items = f.Columns.Select(c =>
                $"{Id(c.Name)} {c.Type}" +
                (f.ColumnOptions.TryGetValue(c.Name, out var options) && options.Count > 0 ? $" OPTIONS ({string.Join(", ", options)})" : string.Empty) +
                (c.Collation is null ? string.Empty : $" COLLATE {c.Collation}") +
                (c.GenerationExpression is null ? string.Empty : $" GENERATED ALWAYS AS ({c.GenerationExpression}) STORED") +
                (c.NotNull ? " NOT NULL" : string.Empty)).ToList();
            items.AddRange(constraintsByTable[f.Name].Where(c => c.Type == ConstraintType.Check && c.IsLocal).Select(c => $"CONSTRAINT {Id(c.Name)} {c.Definition}"));
            var sql = new StringBuilder($"CREATE FOREIGN TABLE {f.Name} (\n    {string.Join(",\n    ", items)}\n)\nSERVER {Id(f.Server)}");
            if (f.Options.Count > 0)
            {
                sql.Append($"\nOPTIONS (\n    {string.Join(",\n    ", f.Options)}\n)");
            }

            sql.Append(';');
            foreach (var c in f.Columns.Where(c => c.StatisticsTarget is not null))
            {
                sql.Append($"{StatementBreak}ALTER FOREIGN TABLE ONLY {f.Name} ALTER COLUMN {Id(c.Name)} SET STATISTICS {c.StatisticsTarget!.Value.ToString(CultureInfo.InvariantCulture)};");
            }

            sql.Append(Comment($"FOREIGN TABLE {f.Name}", f.Comment));
            foreach (var c in f.Columns)
            {
                sql.Append(Comment($"COLUMN {f.Name}.{Id(c.Name)}", c.Comment));
            }

            g.Add(f.Address, SchemaStage.PreData, SchemaObjectKind.ForeignTable, f.Name.Sql, sql.ToString(), f.Name, f.Name.Schema, RelationKey(f.Name));
        }

        var views = catalog.Views.ToDictionary(v => v.Name);
        foreach (var d in catalog.Defaults)
        {
            var alter = views.ContainsKey(d.Table) ? $"ALTER VIEW {d.Table}"
                : catalog.ForeignTables.Any(f => f.Name == d.Table) ? $"ALTER FOREIGN TABLE ONLY {d.Table}"
                : $"ALTER TABLE ONLY {d.Table}";
            g.Add(d.Address, SchemaStage.PreData, SchemaObjectKind.Default, $"{d.Table}.{Id(d.Column)}",
                $"{alter} ALTER COLUMN {Id(d.Column)} SET DEFAULT {d.Expression};", d.Table, d.Table.Schema, null);
        }

        foreach (var v in catalog.Views)
        {
            var sql = v.Materialized
                ? $"CREATE MATERIALIZED VIEW {v.Name}{(v.AccessMethod is null ? string.Empty : $" USING {Id(v.AccessMethod)}")}{Options(v.Options)} AS\n{v.Definition}\n  WITH NO DATA;"
                : $"CREATE VIEW {v.Name}{Options(v.Options)} AS\n{v.Definition};";
            sql += Comment($"{(v.Materialized ? "MATERIALIZED VIEW" : "VIEW")} {v.Name}", v.Comment);
            foreach (var c in v.ColumnComments)
            {
                sql += Comment($"COLUMN {v.Name}.{Id(c.Column)}", c.Comment);
            }

            g.Add(v.Address, SchemaStage.PreData, v.Materialized ? SchemaObjectKind.MaterializedView : SchemaObjectKind.View, v.Name.Sql, sql, v.Name, v.Name.Schema, RelationKey(v.Name));
            if (v.Materialized && v.Populated)
            {
                var refresh = g.Add(null, SchemaStage.MaterializedViewRefresh, SchemaObjectKind.MaterializedViewRefresh, v.Name.Sql,
                    $"REFRESH MATERIALIZED VIEW {v.Name};", v.Name, v.Name.Schema, null);
                refresh.DependsOnAddresses.Add(v.Address);
                g.RefreshOf[v.Address] = refresh;
            }
        }
    }

    private static string TableSql(TableInfo t, IReadOnlyDictionary<QualifiedName, TableInfo> tables, IEnumerable<ConstraintInfo> constraints)
    {
        var parents = (t.PartitionOf is { } p ? [p] : t.Inherits).Select(n => tables.GetValueOrDefault(n)).OfType<TableInfo>().ToList();

        // A partition whose columns are in another order than its parent's was created on its own and
        // attached; PARTITION OF would reorder its columns, so it is created and attached the same way.
        var attached = t.IsPartition && parents.Count == 1 && !parents[0].Columns.Select(c => c.Name).SequenceEqual(t.Columns.Select(c => c.Name));
        if (attached)
        {
            parents.Clear();
        }

        var items = new List<string>();
        var after = new StringBuilder();
        foreach (var c in t.Columns)
        {
            var listed = attached || (!t.IsPartition && t.OfType is null && c.IsLocal);
            if (listed)
            {
                items.Add(ColumnSql(c, t.Name.Name));
            }
            else if (t.IsPartition && c.NotNull && c.NotNullConstraint is not { Validated: false }
                     && PartitionNotNullName(t, c, parents) is { } own)
            {
                // PARTITION OF would give the partition its parent's constraint names; a partition has its own.
                items.Add($"{Id(c.Name)} WITH OPTIONS CONSTRAINT {Id(own)} NOT NULL");
            }
            else if (c.NotNull && c.NotNullConstraint is not { Validated: false } && !parents.Any(parent => parent.Columns.Any(pc => pc.Name == c.Name && pc.NotNull)))
            {
                after.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} ALTER COLUMN {Id(c.Name)} SET NOT NULL;");
            }

            if (c.StatisticsTarget is { } target)
            {
                after.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} ALTER COLUMN {Id(c.Name)} SET STATISTICS {target.ToString(CultureInfo.InvariantCulture)};");
            }

            if (c.Storage is not null)
            {
                after.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} ALTER COLUMN {Id(c.Name)} SET STORAGE {c.Storage};");
            }

            if (c.Compression is not null)
            {
                after.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} ALTER COLUMN {Id(c.Name)} SET COMPRESSION {c.Compression};");
            }

            if (c.Options.Count > 0)
            {
                after.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} ALTER COLUMN {Id(c.Name)} SET ({string.Join(", ", c.Options)});");
            }
        }

        // ATTACH PARTITION wants the parent's checks on the table already.
        foreach (var c in constraints.Where(c => c.Type == ConstraintType.Check && (c.IsLocal || attached) && c.Validated))
        {
            items.Add($"CONSTRAINT {Id(c.Name)} {c.Definition}");
        }

        var sql = new StringBuilder($"CREATE {(t.Unlogged ? "UNLOGGED " : string.Empty)}TABLE {t.Name}");
        var body = items.Count == 0 ? string.Empty : $" (\n    {string.Join(",\n    ", items)}\n)";
        if (attached)
        {
            sql.Append(body);
            after.Insert(0, $"{StatementBreak}ALTER TABLE ONLY {t.PartitionOf} ATTACH PARTITION {t.Name} {t.PartitionBound};");
        }
        else if (t.OfType is not null)
        {
            sql.Append($" OF {t.OfType}{body}");
        }
        else if (t.PartitionOf is { } parent)
        {
            sql.Append($" PARTITION OF {parent}{body}\n{t.PartitionBound}");
        }
        else
        {
            sql.Append(items.Count == 0 ? " (\n)" : body);
            if (t.Inherits.Count > 0)
            {
                sql.Append($"\nINHERITS ({string.Join(", ", t.Inherits)})");
            }
        }

        if (t.PartitionKey is not null)
        {
            sql.Append($"\nPARTITION BY {t.PartitionKey}");
        }

        if (t.AccessMethod is not null)
        {
            sql.Append($"\nUSING {Id(t.AccessMethod)}");
        }

        sql.Append(Options(t.Options.Concat(t.ToastOptions.Select(o => "toast." + o))));
        sql.Append(';');
        sql.Append(after);
        if (t.ReplicaIdentity is ReplicaIdentity.Full or ReplicaIdentity.Nothing)
        {
            sql.Append($"{StatementBreak}ALTER TABLE ONLY {t.Name} REPLICA IDENTITY {(t.ReplicaIdentity == ReplicaIdentity.Full ? "FULL" : "NOTHING")};");
        }

        sql.Append(Comment($"TABLE {t.Name}", t.Comment));
        foreach (var c in t.Columns)
        {
            sql.Append(Comment($"COLUMN {t.Name}.{Id(c.Name)}", c.Comment));
        }

        foreach (var c in constraints.Where(c => c.Type is ConstraintType.Check or ConstraintType.NotNull && c.IsLocal && c.Validated))
        {
            sql.Append(Comment($"CONSTRAINT {Id(c.Name)} ON {t.Name}", c.Comment));
        }

        return sql.ToString();
    }

    /// <summary>
    /// The partition's own NOT NULL constraint name where it differs from the parent's: its source name on
    /// PostgreSQL 18, or on older sources the name a table of its own gets, as a dump and restore gives it.
    /// </summary>
    private static string? PartitionNotNullName(TableInfo partition, ColumnInfo column, IReadOnlyList<TableInfo> parents)
    {
        var own = column.NotNullConstraint?.Name ?? NotNullConstraint.DefaultName(partition.Name.Name, column.Name);
        var inherited = parents.SelectMany(p => p.Columns.Where(pc => pc.Name == column.Name && pc.NotNull)
            .Select(pc => pc.NotNullConstraint?.Name ?? NotNullConstraint.DefaultName(p.Name.Name, column.Name))).FirstOrDefault();
        return own == inherited ? null : own;
    }

    private static string ColumnSql(ColumnInfo c, string table)
    {
        var sql = new StringBuilder($"{Id(c.Name)} {c.Type}");
        if (c.Collation is not null)
        {
            sql.Append($" COLLATE {c.Collation}");
        }

        if (c.GenerationExpression is not null)
        {
            sql.Append($" GENERATED ALWAYS AS ({c.GenerationExpression}) {(c.IsVirtual ? "VIRTUAL" : "STORED")}");
        }

        if (c.Identity is { } identity)
        {
            sql.Append($" GENERATED {(identity == IdentityGeneration.Always ? "ALWAYS" : "BY DEFAULT")} AS IDENTITY");
            if (c.IdentitySequence is { } s)
            {
                sql.Append($" (\n    SEQUENCE NAME {s.Name}\n    {SequenceOptions(s)}\n)");
            }
        }

        // A NOT VALID one is added after the rows (post-data), which it does not check.
        if (c.NotNull && c.NotNullConstraint is { Validated: true } named
            && (named.NoInherit || named.Name != NotNullConstraint.DefaultName(table, c.Name)))
        {
            sql.Append($" CONSTRAINT {Id(named.Name)} NOT NULL{(named.NoInherit ? " NO INHERIT" : string.Empty)}");
        }
        else if (c.NotNull && c.NotNullConstraint is not { Validated: false })
        {
            sql.Append(" NOT NULL");
        }

        return sql.ToString();
    }

    private static void AddRoutines(DraftGraph g, DatabaseCatalog catalog)
    {
        foreach (var r in catalog.Routines)
        {
            var kind = r.Kind == RoutineKind.Procedure ? SchemaObjectKind.Procedure : SchemaObjectKind.Function;
            g.Add(r.Address, SchemaStage.PreData, kind, r.Signature,
                r.Definition + ";" + Comment($"{(r.Kind == RoutineKind.Procedure ? "PROCEDURE" : "FUNCTION")} {r.Signature}", r.Comment), null, r.Name.Schema, $"routine:{r.Name.Schema}.{r.Name.Name}({r.IdentityArguments})");
        }

        foreach (var a in catalog.Aggregates)
        {
            var arguments = a.Arguments.Length == 0 ? "*" : a.Arguments;
            var options = string.Join(",\n    ", a.Options.Select(o => o.Value.Length == 0 ? o.Key : $"{o.Key} = {o.Value}"));
            g.Add(a.Address, SchemaStage.PreData, SchemaObjectKind.Aggregate, a.Signature,
                $"CREATE AGGREGATE {a.Name}({arguments}) (\n    {options}\n);" + Comment($"AGGREGATE {a.Name}({arguments})", a.Comment), null, a.Name.Schema, $"routine:{a.Name.Schema}.{a.Name.Name}({a.IdentityArguments})");
        }

        foreach (var o in catalog.Operators)
        {
            var name = $"{Id(o.Name.Schema)}.{o.Name.Name}";
            var options = new List<string> { $"FUNCTION = {o.Function}" };
            if (o.Left is not null)
            {
                options.Add($"LEFTARG = {o.Left}");
            }

            options.Add($"RIGHTARG = {o.Right}");
            AddIf(options, "COMMUTATOR", o.Commutator);
            AddIf(options, "NEGATOR", o.Negator);
            AddIf(options, "RESTRICT", o.Restrict);
            AddIf(options, "JOIN", o.Join);
            if (o.Hashes)
            {
                options.Add("HASHES");
            }

            if (o.Merges)
            {
                options.Add("MERGES");
            }

            g.Add(o.Address, SchemaStage.PreData, SchemaObjectKind.Operator, $"{name} ({o.Left ?? "NONE"}, {o.Right})",
                $"CREATE OPERATOR {name} (\n    {string.Join(",\n    ", options)}\n);" + Comment($"OPERATOR {name} ({o.Left ?? "NONE"}, {o.Right})", o.Comment), null, o.Name.Schema, null);
        }

        foreach (var f in catalog.OperatorFamilies)
        {
            var sql = $"CREATE OPERATOR FAMILY {f.Name} USING {Id(f.AccessMethod)};";
            if (f.LooseMembers.Count > 0)
            {
                sql += $"{StatementBreak}ALTER OPERATOR FAMILY {f.Name} USING {Id(f.AccessMethod)} ADD\n    {string.Join(",\n    ", f.LooseMembers)};";
            }

            g.Add(f.Address, SchemaStage.PreData, SchemaObjectKind.OperatorFamily, f.Name.Sql,
                sql + Comment($"OPERATOR FAMILY {f.Name} USING {Id(f.AccessMethod)}", f.Comment), null, f.Name.Schema, null);
        }

        foreach (var c in catalog.OperatorClasses)
        {
            var items = c.Members.Concat(c.Storage is null ? [] : [$"STORAGE {c.Storage}"]);
            g.Add(c.Address, SchemaStage.PreData, SchemaObjectKind.OperatorClass, c.Name.Sql,
                $"CREATE OPERATOR CLASS {c.Name}{(c.IsDefault ? " DEFAULT" : string.Empty)}\n    FOR TYPE {c.Type} USING {Id(c.AccessMethod)} FAMILY {c.Family} AS\n    {string.Join(",\n    ", items)};" +
                Comment($"OPERATOR CLASS {c.Name} USING {Id(c.AccessMethod)}", c.Comment), null, c.Name.Schema, null);
        }

        foreach (var c in catalog.Casts)
        {
            var how = c.Method switch
            {
                CastMethod.Function => $"WITH FUNCTION {c.Function}",
                CastMethod.InOut => "WITH INOUT",
                CastMethod.BinaryCoercible => "WITHOUT FUNCTION",
                _ => throw new UnreachableException(),
            };
            var context = c.Context switch
            {
                CastContext.Assignment => " AS ASSIGNMENT",
                CastContext.Implicit => " AS IMPLICIT",
                CastContext.Explicit => string.Empty,
                _ => throw new UnreachableException(),
            };
            g.Add(c.Address, SchemaStage.PreData, SchemaObjectKind.Cast, $"({c.Source} AS {c.Target})",
                $"CREATE CAST ({c.Source} AS {c.Target}) {how}{context};" + Comment($"CAST ({c.Source} AS {c.Target})", c.Comment), null, null, null);
        }
    }

    private static void AddIf(List<string> options, string key, string? value)
    {
        if (value is not null)
        {
            options.Add($"{key} = {value}");
        }
    }

    private static void AddPostData(DraftGraph g, DatabaseCatalog catalog)
    {
        var partitioned = catalog.Tables.Where(t => t.IsPartitioned).Select(t => t.Name).ToHashSet();
        var indexesByConstraint = catalog.Indexes.Where(i => i.Constraint is not null).ToDictionary(i => (i.Table, i.Constraint!));
        foreach (var c in catalog.Constraints)
        {
            var name = $"{Id(c.Name)} ON {c.Table}";
            var comment = Comment($"CONSTRAINT {Id(c.Name)} ON {c.Table}", c.Comment);
            switch (c.Type)
            {
                case ConstraintType.PrimaryKey or ConstraintType.Unique or ConstraintType.Exclusion:
                    indexesByConstraint.TryGetValue((c.Table, c.Name), out var index);
                    var sql = (index is not null && !partitioned.Contains(c.Table) && KeyIndexFirst.Applies(c, index)
                        ? KeyIndexFirst.Sql(c, index)
                        : $"ALTER TABLE ONLY {c.Table} ADD CONSTRAINT {Id(c.Name)} {c.Definition};") + comment;
                    if (index is not null)
                    {
                        g.Alias(index.Address, c.Address);
                        sql += Comment($"INDEX {index.Name}", index.Comment) + IndexExtras(index);
                    }

                    var kind = c.Type switch { ConstraintType.PrimaryKey => SchemaObjectKind.PrimaryKey, ConstraintType.Unique => SchemaObjectKind.UniqueConstraint, _ => SchemaObjectKind.ExclusionConstraint };
                    g.Add(c.Address, SchemaStage.KeysAndIndexes, kind, name, sql, c.Table, c.Table.Schema, RelationKey(new(c.Table.Schema, c.Name)));
                    break;
                case ConstraintType.ForeignKey when c.ParentConstraint == 0:
                    var only = partitioned.Contains(c.Table) ? string.Empty : "ONLY ";
                    g.Add(c.Address, SchemaStage.ForeignKeys, SchemaObjectKind.ForeignKey, name,
                        $"ALTER TABLE {only}{c.Table} ADD CONSTRAINT {Id(c.Name)} {c.Definition};" + comment, c.Table, c.Table.Schema, null).References = c.References;
                    break;
                case ConstraintType.Check or ConstraintType.NotNull when c.IsLocal && !c.Validated:
                    g.Add(c.Address, SchemaStage.ForeignKeys, SchemaObjectKind.CheckConstraint, name,
                        $"ALTER TABLE {c.Table} ADD CONSTRAINT {Id(c.Name)} {c.Definition};" + comment, c.Table, c.Table.Schema, null);
                    break;
            }
        }

        foreach (var i in catalog.Indexes.Where(i => i.Constraint is null))
        {
            g.Add(i.Address, SchemaStage.KeysAndIndexes, SchemaObjectKind.Index, i.Name.Sql,
                i.Definition + ";" + Comment($"INDEX {i.Name}", i.Comment) + IndexExtras(i), i.Table, i.Name.Schema, RelationKey(i.Name));
        }

        var indexAddresses = catalog.Indexes.ToDictionary(i => i.Name, i => i.Address);
        foreach (var i in catalog.Indexes.Where(i => i.ParentIndex is not null))
        {
            var attach = g.Add(null, SchemaStage.IndexAttachments, SchemaObjectKind.IndexAttachment, i.Name.Sql,
                $"ALTER INDEX {i.ParentIndex} ATTACH PARTITION {i.Name};", i.Table, i.Name.Schema, null);
            attach.DependsOnAddresses.Add(i.Address);
            if (indexAddresses.TryGetValue(i.ParentIndex!, out var parent))
            {
                attach.DependsOnAddresses.Add(parent);
                g.AttachmentOf[i.Address] = attach;
                attach.AttachesTo = parent;
            }
        }

        foreach (var s in catalog.Statistics)
        {
            g.Add(s.Address, SchemaStage.KeysAndIndexes, SchemaObjectKind.Statistics, s.Name.Sql,
                s.Definition + ";" + Comment($"STATISTICS {s.Name}", s.Comment), s.Table, s.Name.Schema, $"statistics:{s.Name.Schema}.{s.Name.Name}");
        }

        foreach (var t in catalog.Triggers)
        {
            var state = t.Enabled switch
            {
                FiringMode.Disabled => $"{StatementBreak}ALTER TABLE {t.Table} DISABLE TRIGGER {Id(t.Name)};",
                FiringMode.Replica => $"{StatementBreak}ALTER TABLE {t.Table} ENABLE REPLICA TRIGGER {Id(t.Name)};",
                FiringMode.Always => $"{StatementBreak}ALTER TABLE {t.Table} ENABLE ALWAYS TRIGGER {Id(t.Name)};",
                FiringMode.Origin => string.Empty,
                _ => throw new UnreachableException(),
            };
            g.Add(t.Address, SchemaStage.TriggersAndSecurity, SchemaObjectKind.Trigger, $"{Id(t.Name)} ON {t.Table}",
                t.Definition + ";" + state + Comment($"TRIGGER {Id(t.Name)} ON {t.Table}", t.Comment), t.Table, t.Table.Schema, null);
        }

        foreach (var r in catalog.Rules)
        {
            var state = r.Enabled switch
            {
                FiringMode.Disabled => $"{StatementBreak}ALTER TABLE {r.Table} DISABLE RULE {Id(r.Name)};",
                FiringMode.Replica => $"{StatementBreak}ALTER TABLE {r.Table} ENABLE REPLICA RULE {Id(r.Name)};",
                FiringMode.Always => $"{StatementBreak}ALTER TABLE {r.Table} ENABLE ALWAYS RULE {Id(r.Name)};",
                FiringMode.Origin => string.Empty,
                _ => throw new UnreachableException(),
            };
            var definition = r.Definition.EndsWith(';') ? r.Definition : r.Definition + ";";
            g.Add(r.Address, SchemaStage.TriggersAndSecurity, SchemaObjectKind.Rule, $"{Id(r.Name)} ON {r.Table}",
                definition + state + Comment($"RULE {Id(r.Name)} ON {r.Table}", r.Comment), r.Table, r.Table.Schema, null);
        }

        foreach (var p in catalog.Policies)
        {
            var sql = new StringBuilder($"CREATE POLICY {Id(p.Name)} ON {p.Table}");
            if (!p.Permissive)
            {
                sql.Append(" AS RESTRICTIVE");
            }

            sql.Append(p.Command switch
            {
                PolicyCommand.Select => " FOR SELECT",
                PolicyCommand.Insert => " FOR INSERT",
                PolicyCommand.Update => " FOR UPDATE",
                PolicyCommand.Delete => " FOR DELETE",
                PolicyCommand.All => string.Empty,
                _ => throw new UnreachableException(),
            });
            sql.Append($" TO {string.Join(", ", p.Roles.Select(GrantSql.Role))}");
            if (p.Using is not null)
            {
                sql.Append($" USING ({p.Using})");
            }

            if (p.WithCheck is not null)
            {
                sql.Append($" WITH CHECK ({p.WithCheck})");
            }

            sql.Append(';').Append(Comment($"POLICY {Id(p.Name)} ON {p.Table}", p.Comment));
            g.Add(p.Address, SchemaStage.TriggersAndSecurity, SchemaObjectKind.Policy, $"{Id(p.Name)} ON {p.Table}", sql.ToString(), p.Table, p.Table.Schema, null);
        }
    }

    private static void AddEventTriggers(DraftGraph g, DatabaseCatalog catalog)
    {
        foreach (var e in catalog.EventTriggers)
        {
            var when = e.Tags.Count == 0 ? string.Empty : $"\n    WHEN TAG IN ({string.Join(", ", e.Tags.Select(Lit))})";
            var state = e.Enabled switch
            {
                FiringMode.Disabled => $"{StatementBreak}ALTER EVENT TRIGGER {Id(e.Name)} DISABLE;",
                FiringMode.Replica => $"{StatementBreak}ALTER EVENT TRIGGER {Id(e.Name)} ENABLE REPLICA;",
                FiringMode.Always => $"{StatementBreak}ALTER EVENT TRIGGER {Id(e.Name)} ENABLE ALWAYS;",
                FiringMode.Origin => string.Empty,
                _ => throw new UnreachableException(),
            };
            g.Add(e.Address, SchemaStage.EventTriggers, SchemaObjectKind.EventTrigger, Id(e.Name),
                $"CREATE EVENT TRIGGER {Id(e.Name)} ON {Id(e.Event)}{when}\n    EXECUTE FUNCTION {e.Function}();" + state + Comment($"EVENT TRIGGER {Id(e.Name)}", e.Comment),
                null, null, $"eventtrigger:{e.Name}");
        }
    }

    // Under a filter, a publication comes along only with tables (or schemas) of its that the filter includes.
    private static List<string> AddPublications(DraftGraph g, DatabaseCatalog catalog, CatalogFilter filter)
    {
        var filteredOut = new List<string>();
        foreach (var p in catalog.Publications)
        {
            var tables = p.Tables.Where(t => filter.IncludesRelation(t.Table)).ToList();
            var schemas = p.Schemas.Where(filter.IncludesSchema).ToList();
            if (!filter.IsEmpty && (p.AllTables || (tables.Count == 0 && schemas.Count == 0)))
            {
                filteredOut.Add($"publication {p.Name}: {(p.AllTables ? "it publishes all tables, and a filter migrates part of them" : "none of its tables is included")}");
                continue;
            }

            var with = $" WITH (publish = {Lit(p.Publish)}{(p.ViaRoot ? ", publish_via_partition_root = true" : string.Empty)})";
            var sql = new StringBuilder($"CREATE PUBLICATION {Id(p.Name)}{(p.AllTables ? " FOR ALL TABLES" : string.Empty)}{with};");
            foreach (var t in tables)
            {
                var columns = t.Columns.Count == 0 ? string.Empty : $" ({string.Join(", ", t.Columns.Select(Id))})";
                var where = t.RowFilter is null ? string.Empty : $" WHERE ({t.RowFilter})";
                sql.Append($"{StatementBreak}ALTER PUBLICATION {Id(p.Name)} ADD TABLE ONLY {t.Table}{columns}{where};");
            }

            foreach (var schema in schemas)
            {
                sql.Append($"{StatementBreak}ALTER PUBLICATION {Id(p.Name)} ADD TABLES IN SCHEMA {Id(schema)};");
            }

            sql.Append(Comment($"PUBLICATION {Id(p.Name)}", p.Comment));
            g.Add(p.Address, SchemaStage.TriggersAndSecurity, SchemaObjectKind.Publication, Id(p.Name), sql.ToString(), null, null, $"publication:{p.Name}");
        }

        return filteredOut;
    }

    private static void AddOwnersAndGrants(DraftGraph g, DatabaseCatalog catalog)
    {
        foreach (var p in catalog.Privileges)
        {
            if (g.Find(p.Address) is not { } owner)
            {
                continue;
            }

            var sql = new StringBuilder();
            if (p.OwnerType is not null)
            {
                sql.Append($"{StatementBreak}ALTER {p.OwnerType} {p.ObjectSql} OWNER TO {Id(p.Owner)};");
            }

            foreach (var statement in p.Acl is null ? Enumerable.Empty<string>() : GrantSql.Exactly(p.GrantType, p.ObjectSql, p.Owner, p.Acl))
            {
                sql.Append($"{StatementBreak}{statement};");
            }

            foreach (var grant in p.ColumnGrants.GroupBy(a => (a.Grantee, a.Privilege, a.Grantable)))
            {
                var columns = string.Join(", ", grant.Select(a => Id(a.Column!)));
                sql.Append($"{StatementBreak}GRANT {grant.Key.Privilege} ({columns}) ON TABLE {p.ObjectSql} TO {GrantSql.Role(grant.Key.Grantee)}{(grant.Key.Grantable ? " WITH GRANT OPTION" : string.Empty)};");
            }

            if (sql.Length == 0)
            {
                continue;
            }

            // Event triggers come after everything, their owner with them.
            var stage = owner.Stage > SchemaStage.OwnersAndGrants ? owner.Stage : SchemaStage.OwnersAndGrants;
            var step = g.Add(null, stage, SchemaObjectKind.Privileges, p.ObjectSql, sql.ToString().TrimStart(StatementBreak), owner.Table, owner.Schema, null);
            step.DependsOnAddresses.Add(p.Address);
        }
    }

    private static string IndexExtras(IndexInfo index)
    {
        var sql = string.Empty;
        foreach (var (column, target) in index.StatisticsTargets)
        {
            sql += $"{StatementBreak}ALTER INDEX {index.Name} ALTER COLUMN {column.ToString(CultureInfo.InvariantCulture)} SET STATISTICS {target.ToString(CultureInfo.InvariantCulture)};";
        }

        if (index.IsClustered)
        {
            sql += $"{StatementBreak}ALTER TABLE ONLY {index.Table} CLUSTER ON {Id(index.Name.Name)};";
        }

        if (index.IsReplicaIdentity)
        {
            sql += $"{StatementBreak}ALTER TABLE ONLY {index.Table} REPLICA IDENTITY USING INDEX {Id(index.Name.Name)};";
        }

        return sql;
    }
}
