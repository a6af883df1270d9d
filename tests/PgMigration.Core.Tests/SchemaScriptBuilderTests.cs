using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>The DDL text generated for each object kind, read back from a real server.</summary>
public class SchemaScriptBuilderTests
{
    [Fact]
    public async Task Schema_with_hostile_name_is_quoted_and_commented()
    {
        var script = await ScriptForAsync("CREATE SCHEMA \"we\"\"ird Name\"; COMMENT ON SCHEMA \"we\"\"ird Name\" IS 'it''s odd';");
        Assert.Equal("CREATE SCHEMA \"we\"\"ird Name\";\nCOMMENT ON SCHEMA \"we\"\"ird Name\" IS 'it''s odd';", Step(script, SchemaObjectKind.Schema, "\"we\"\"ird Name\"").Sql);
    }

    [Fact]
    public async Task Extension_is_created_in_its_schema_if_missing()
    {
        var script = await ScriptForAsync("CREATE SCHEMA ext; CREATE EXTENSION citext WITH SCHEMA ext;");
        Assert.Equal(
            "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext;\nCOMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';",
            Step(script, SchemaObjectKind.Extension, "citext").Sql);
        Assert.DoesNotContain(script.Steps, s => s.Name.Contains("citext_eq", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collation_keeps_provider_locale_and_determinism()
    {
        var script = await ScriptForAsync("CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);");
        Assert.Equal("CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);", Step(script, SchemaObjectKind.Collation, "public.ci").Sql);
    }

    [Fact]
    public async Task Text_search_dictionaries_and_configurations_keep_options_and_mappings()
    {
        var script = await ScriptForAsync(
            "CREATE TEXT SEARCH DICTIONARY public.en (TEMPLATE = pg_catalog.snowball, language = 'english');" +
            "CREATE TEXT SEARCH CONFIGURATION public.cfg (PARSER = pg_catalog.\"default\"); ALTER TEXT SEARCH CONFIGURATION public.cfg ADD MAPPING FOR asciiword WITH public.en, simple;");
        Assert.Equal("CREATE TEXT SEARCH DICTIONARY public.en (\n    TEMPLATE = pg_catalog.snowball,\n    language = 'english'\n);", Step(script, SchemaObjectKind.TextSearchDictionary, "public.en").Sql);
        Assert.Equal(
            "CREATE TEXT SEARCH CONFIGURATION public.cfg (\n    PARSER = pg_catalog.\"default\"\n);\nALTER TEXT SEARCH CONFIGURATION public.cfg\n    ADD MAPPING FOR asciiword WITH public.en, pg_catalog.simple;",
            Step(script, SchemaObjectKind.TextSearchConfiguration, "public.cfg").Sql);
        Assert.True(Position(script, "public.en") < Position(script, "public.cfg"));
    }

    [Fact]
    public async Task Enum_keeps_label_order_and_quotes()
    {
        var script = await ScriptForAsync("CREATE TYPE public.mood AS ENUM ('sad', 'ok'); ALTER TYPE public.mood ADD VALUE 'it''s fine' BEFORE 'ok';");
        Assert.Equal("CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'it''s fine',\n    'ok'\n);", Step(script, SchemaObjectKind.EnumType, "public.mood").Sql);
    }

    [Fact]
    public async Task Composite_type_keeps_typmods_and_collations()
    {
        var script = await ScriptForAsync("CREATE TYPE public.pair AS (\"Left\" varchar(5) COLLATE \"C\", \"right\" numeric(4,1));");
        Assert.Equal("CREATE TYPE public.pair AS (\n    \"Left\" character varying(5) COLLATE pg_catalog.\"C\",\n    \"right\" numeric(4,1)\n);", Step(script, SchemaObjectKind.CompositeType, "public.pair").Sql);
    }

    [Fact]
    public async Task Domain_keeps_default_not_null_and_named_checks()
    {
        var script = await ScriptForAsync("CREATE DOMAIN public.pos AS int DEFAULT 1 NOT NULL CONSTRAINT pos_check CHECK (VALUE > 0);");
        Assert.Equal("CREATE DOMAIN public.pos AS integer DEFAULT 1 NOT NULL\n    CONSTRAINT pos_check CHECK ((VALUE > 0));", Step(script, SchemaObjectKind.Domain, "public.pos").Sql);
    }

    [Fact]
    public async Task Range_type_names_its_subtype_and_multirange()
    {
        var script = await ScriptForAsync("CREATE TYPE public.numr AS RANGE (subtype = numeric);");
        Assert.Equal("CREATE TYPE public.numr AS RANGE (\n    subtype = numeric,\n    multirange_type_name = public.numr_multirange\n);", Step(script, SchemaObjectKind.RangeType, "public.numr").Sql);
    }

    [Fact]
    public async Task Sequence_keeps_every_option_and_its_owner_and_value()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (id int); CREATE SEQUENCE public.s AS smallint START 5 INCREMENT 2 MINVALUE 5 MAXVALUE 500 CACHE 3 CYCLE OWNED BY public.t.id; SELECT nextval('public.s'); SELECT nextval('public.s');");
        Assert.Equal(
            "CREATE SEQUENCE public.s\n    AS smallint\n    START WITH 5\n    INCREMENT BY 2\n    MINVALUE 5\n    MAXVALUE 500\n    CACHE 3\n    CYCLE;\nALTER SEQUENCE public.s OWNED BY public.t.id;",
            Step(script, SchemaObjectKind.Sequence, "public.s").Sql);
        var value = Step(script, SchemaObjectKind.SequenceValue, "public.s");
        // As pg_dump: the value on disk, which is ahead of the last nextval by the cached values.
        Assert.Equal("SELECT pg_catalog.setval('public.s', 9, true);", value.Sql);
        Assert.Equal(SchemaStage.SequenceValues, value.Stage);
        Assert.DoesNotContain(value, script.SchemaOnly);
    }

    [Fact]
    public async Task Table_is_created_bare_with_identity_generated_columns_and_checks()
    {
        var script = await ScriptForAsync(
            "CREATE UNLOGGED TABLE public.\"T x\" (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a text COLLATE \"C\" NOT NULL, " +
            "b int GENERATED ALWAYS AS (length(a)) STORED, c int DEFAULT 3 CHECK (c > 0)) WITH (fillfactor = 70);");
        Assert.Equal(
            "CREATE UNLOGGED TABLE public.\"T x\" (\n" +
            "    id bigint GENERATED BY DEFAULT AS IDENTITY (\n    SEQUENCE NAME public.\"T x_id_seq\"\n    START WITH 1\n    INCREMENT BY 1\n    MINVALUE 1\n    MAXVALUE 9223372036854775807\n    CACHE 1\n    NO CYCLE\n) NOT NULL,\n" +
            "    a text COLLATE pg_catalog.\"C\" NOT NULL,\n" +
            "    b integer GENERATED ALWAYS AS (length(a)) STORED,\n" +
            "    c integer,\n" +
            "    CONSTRAINT \"T x_c_check\" CHECK ((c > 0))\n" +
            ") WITH (fillfactor=70);",
            Step(script, SchemaObjectKind.Table, "public.\"T x\"").Sql);
        Assert.Equal("ALTER TABLE ONLY public.\"T x\" ALTER COLUMN c SET DEFAULT 3;", Step(script, SchemaObjectKind.Default, "public.\"T x\".c").Sql);
    }

    [Fact]
    public async Task Column_statistics_storage_and_options_follow_the_create()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a text, b int); ALTER TABLE public.t ALTER a SET STATISTICS 300, ALTER a SET STORAGE MAIN, ALTER b SET (n_distinct = 10); ALTER TABLE public.t REPLICA IDENTITY FULL;");
        var sql = Step(script, SchemaObjectKind.Table, "public.t").Sql;
        Assert.Contains("ALTER TABLE ONLY public.t ALTER COLUMN a SET STATISTICS 300;", sql, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE ONLY public.t ALTER COLUMN a SET STORAGE MAIN;", sql, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE ONLY public.t ALTER COLUMN b SET (n_distinct=10);", sql, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE ONLY public.t REPLICA IDENTITY FULL;", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partitions_are_created_of_their_parent_with_bounds_at_any_depth()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.p (id int, d date, k text) PARTITION BY RANGE (d);" +
            "CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (k);" +
            "CREATE TABLE public.p1a PARTITION OF public.p1 FOR VALUES IN ('a');" +
            "CREATE TABLE public.pd PARTITION OF public.p DEFAULT;");
        Assert.Equal("CREATE TABLE public.p (\n    id integer,\n    d date,\n    k text\n)\nPARTITION BY RANGE (d);", Step(script, SchemaObjectKind.Table, "public.p").Sql);
        Assert.Equal("CREATE TABLE public.p1 PARTITION OF public.p\nFOR VALUES FROM ('2024-01-01') TO ('2025-01-01')\nPARTITION BY LIST (k);", Step(script, SchemaObjectKind.Table, "public.p1").Sql);
        Assert.Equal("CREATE TABLE public.p1a PARTITION OF public.p1\nFOR VALUES IN ('a');", Step(script, SchemaObjectKind.Table, "public.p1a").Sql);
        Assert.Equal("CREATE TABLE public.pd PARTITION OF public.p\nDEFAULT;", Step(script, SchemaObjectKind.Table, "public.pd").Sql);
        Assert.True(Position(script, "public.p") < Position(script, "public.p1") && Position(script, "public.p1") < Position(script, "public.p1a"));
    }

    [Fact]
    public async Task Partitioned_keys_are_added_on_each_level_and_attached()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.p (id int PRIMARY KEY) PARTITION BY RANGE (id); CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES FROM (0) TO (10);" +
            "CREATE INDEX p_idx ON public.p (id DESC);");
        Assert.Equal("ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id);", Step(script, SchemaObjectKind.PrimaryKey, "p_pkey ON public.p").Sql);
        Assert.Equal("ALTER TABLE ONLY public.p1 ADD CONSTRAINT p1_pkey PRIMARY KEY (id);", Step(script, SchemaObjectKind.PrimaryKey, "p1_pkey ON public.p1").Sql);
        Assert.Equal("CREATE INDEX p_idx ON ONLY public.p USING btree (id DESC);", Step(script, SchemaObjectKind.Index, "public.p_idx").Sql);
        Assert.Equal("ALTER INDEX public.p_pkey ATTACH PARTITION public.p1_pkey;", Step(script, SchemaObjectKind.IndexAttachment, "public.p1_pkey").Sql);
        Assert.Equal("ALTER INDEX public.p_idx ATTACH PARTITION public.p1_id_idx;", Step(script, SchemaObjectKind.IndexAttachment, "public.p1_id_idx").Sql);
    }

    [Fact]
    public async Task Inheritance_children_list_only_their_own_columns()
    {
        var script = await ScriptForAsync("CREATE TABLE public.parent (id int NOT NULL, a text); CREATE TABLE public.child (b int) INHERITS (public.parent);");
        Assert.Equal("CREATE TABLE public.child (\n    b integer\n)\nINHERITS (public.parent);", Step(script, SchemaObjectKind.Table, "public.child").Sql);
    }

    [Fact]
    public async Task Typed_tables_are_created_of_their_type()
    {
        var script = await ScriptForAsync("CREATE TYPE public.pt AS (x int, y int); CREATE TABLE public.points OF public.pt (CONSTRAINT y_pos CHECK (y > 0)); ALTER TABLE public.points ALTER y SET NOT NULL;");
        Assert.Equal(
            "CREATE TABLE public.points OF public.pt (\n    CONSTRAINT y_pos CHECK ((y > 0))\n);\nALTER TABLE ONLY public.points ALTER COLUMN y SET NOT NULL;",
            Step(script, SchemaObjectKind.Table, "public.points").Sql);
    }

    [Fact]
    public async Task Objects_that_need_an_unmigrated_object_are_left_out_and_reported()
    {
        var script = await ScriptForAsync(
            "CREATE EXTENSION postgres_fdw; CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw;" +
            "CREATE TABLE public.p (a int) PARTITION BY LIST (a); CREATE FOREIGN TABLE public.remote PARTITION OF public.p FOR VALUES IN (1) SERVER far;" +
            "CREATE VIEW public.v1 AS SELECT a FROM public.remote; CREATE VIEW public.v2 AS SELECT a FROM public.v1; CREATE VIEW public.other AS SELECT 1 AS one;");
        Assert.DoesNotContain(script.Steps, s => s.Name is "public.v1" or "public.v2");
        Assert.Contains(script.Steps, s => s.Name == "public.other");
        Assert.Contains(new UnsupportedObject("view", "public.v2", "depends on foreign table public.remote, which is not migrated"), script.NotMigrated);
    }

    [Fact]
    public async Task Operator_families_and_classes_keep_their_members()
    {
        var script = await ScriptForAsync(
            "CREATE OPERATOR CLASS public.int4_rev FOR TYPE int4 USING btree AS OPERATOR 1 >, OPERATOR 3 =, OPERATOR 5 <, FUNCTION 1 btint4cmp(int4, int4);" +
            "CREATE OPERATOR FAMILY public.fam USING hash; ALTER OPERATOR FAMILY public.fam USING hash ADD OPERATOR 1 =(int4, int4), FUNCTION 1 hashint4(int4);");
        Assert.Equal("CREATE OPERATOR FAMILY public.int4_rev USING btree;", Step(script, SchemaObjectKind.OperatorFamily, "public.int4_rev").Sql);
        Assert.Equal(
            "CREATE OPERATOR CLASS public.int4_rev\n    FOR TYPE integer USING btree FAMILY public.int4_rev AS\n    OPERATOR 1 >(integer,integer),\n    OPERATOR 3 =(integer,integer),\n" +
            "    OPERATOR 5 <(integer,integer),\n    FUNCTION 1 (integer, integer) btint4cmp(integer,integer);",
            Step(script, SchemaObjectKind.OperatorClass, "public.int4_rev").Sql);
        Assert.Equal(
            "CREATE OPERATOR FAMILY public.fam USING hash;\nALTER OPERATOR FAMILY public.fam USING hash ADD\n    OPERATOR 1 =(integer,integer),\n    FUNCTION 1 (integer, integer) hashint4(integer);",
            Step(script, SchemaObjectKind.OperatorFamily, "public.fam").Sql);
    }

    [Fact]
    public async Task Foreign_servers_and_tables_keep_their_options_but_not_user_mappings()
    {
        var script = await ScriptForAsync(
            "CREATE EXTENSION postgres_fdw; CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'h', dbname 'd');" +
            "CREATE USER MAPPING FOR CURRENT_USER SERVER far OPTIONS (password 'never-copied');" +
            "CREATE FOREIGN TABLE public.remote (a int OPTIONS (column_name 'A') NOT NULL, b text) SERVER far OPTIONS (table_name 'r');");
        Assert.Equal("CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw OPTIONS (\n    host 'h',\n    dbname 'd'\n);", Step(script, SchemaObjectKind.ForeignServer, "far").Sql);
        Assert.Equal(
            "CREATE FOREIGN TABLE public.remote (\n    a integer OPTIONS (column_name 'A') NOT NULL,\n    b text\n)\nSERVER far\nOPTIONS (\n    table_name 'r'\n);",
            Step(script, SchemaObjectKind.ForeignTable, "public.remote").Sql);
        Assert.Contains(script.NotMigrated, u => u.Kind == "user mapping");
        Assert.DoesNotContain(script.Steps, s => s.Sql.Contains("never-copied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_and_exclusion_constraints_are_post_data_with_their_options()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a int, b int, r int4range, CONSTRAINT t_ab UNIQUE NULLS NOT DISTINCT (a, b) DEFERRABLE, CONSTRAINT t_x EXCLUDE USING gist (r WITH &&));");
        var unique = Step(script, SchemaObjectKind.UniqueConstraint, "t_ab ON public.t");
        Assert.Equal("ALTER TABLE ONLY public.t ADD CONSTRAINT t_ab UNIQUE NULLS NOT DISTINCT (a, b) DEFERRABLE;", unique.Sql);
        Assert.Equal(SchemaStage.KeysAndIndexes, unique.Stage);
        Assert.Equal("ALTER TABLE ONLY public.t ADD CONSTRAINT t_x EXCLUDE USING gist (r WITH &&);", Step(script, SchemaObjectKind.ExclusionConstraint, "t_x ON public.t").Sql);
    }

    [Fact]
    public async Task Foreign_keys_keep_actions_and_deferrability_and_come_after_keys()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.a (id int PRIMARY KEY, b_id int); CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED);" +
            "ALTER TABLE public.a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES public.b (id) ON UPDATE CASCADE NOT VALID;");
        var fk = Step(script, SchemaObjectKind.ForeignKey, "b_a_id_fkey ON public.b");
        Assert.Equal("ALTER TABLE ONLY public.b ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES public.a(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;", fk.Sql);
        Assert.Equal(SchemaStage.ForeignKeys, fk.Stage);
        Assert.Equal("ALTER TABLE ONLY public.a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES public.b(id) ON UPDATE CASCADE NOT VALID;", Step(script, SchemaObjectKind.ForeignKey, "a_b ON public.a").Sql);
    }

    [Fact]
    public async Task Not_valid_checks_are_added_after_the_data_and_stay_not_valid()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (a int); ALTER TABLE public.t ADD CONSTRAINT t_a CHECK (a > 0) NOT VALID;");
        var check = Step(script, SchemaObjectKind.CheckConstraint, "t_a ON public.t");
        Assert.Equal("ALTER TABLE public.t ADD CONSTRAINT t_a CHECK ((a > 0)) NOT VALID;", check.Sql);
        Assert.Equal(SchemaPhase.PostData, check.Phase);
    }

    [Fact]
    public async Task Indexes_keep_method_expressions_include_and_predicate()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a text, b int); CREATE INDEX t_expr ON public.t USING btree (lower(a) text_pattern_ops) INCLUDE (b) WHERE b > 0;" +
            "CREATE INDEX t_hash ON public.t USING hash (a); CREATE INDEX t_b ON public.t (b DESC NULLS LAST); ALTER TABLE public.t CLUSTER ON t_b; COMMENT ON INDEX public.t_hash IS 'h';");
        Assert.Equal(
            "CREATE INDEX t_expr ON public.t USING btree (lower(a) text_pattern_ops) INCLUDE (b) WHERE (b > 0);",
            Step(script, SchemaObjectKind.Index, "public.t_expr").Sql);
        Assert.Equal(
            "CREATE INDEX t_b ON public.t USING btree (b DESC NULLS LAST);\nALTER TABLE ONLY public.t CLUSTER ON t_b;",
            Step(script, SchemaObjectKind.Index, "public.t_b").Sql);
        Assert.Equal("CREATE INDEX t_hash ON public.t USING hash (a);\nCOMMENT ON INDEX public.t_hash IS 'h';", Step(script, SchemaObjectKind.Index, "public.t_hash").Sql);
    }

    [Fact]
    public async Task Views_keep_options_and_check_option()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a int); CREATE VIEW public.v WITH (security_barrier = true) AS SELECT a FROM public.t WHERE a > 0 WITH LOCAL CHECK OPTION;");
        Assert.Equal(
            "CREATE VIEW public.v WITH (security_barrier=true, check_option=local) AS\n SELECT t.a\n   FROM public.t\n  WHERE (t.a > 0);",
            Step(script, SchemaObjectKind.View, "public.v").Sql);
    }

    [Fact]
    public async Task Materialized_views_are_created_empty_and_refreshed_after_the_data()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (a int); CREATE MATERIALIZED VIEW public.m AS SELECT count(*) AS n FROM public.t;");
        Assert.Equal("CREATE MATERIALIZED VIEW public.m AS\n SELECT count(*) AS n\n   FROM public.t\n  WITH NO DATA;", Step(script, SchemaObjectKind.MaterializedView, "public.m").Sql);
        var refresh = Step(script, SchemaObjectKind.MaterializedViewRefresh, "public.m");
        Assert.Equal("REFRESH MATERIALIZED VIEW public.m;", refresh.Sql);
        Assert.Equal(SchemaStage.MaterializedViewRefresh, refresh.Stage);
    }

    [Fact]
    public async Task Functions_and_procedures_use_the_servers_definition()
    {
        var script = await ScriptForAsync(
            "CREATE FUNCTION public.f(a int, b int DEFAULT 2) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';" +
            "CREATE PROCEDURE public.p() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$; COMMENT ON PROCEDURE public.p() IS 'noop';");
        Assert.Equal(
            "CREATE OR REPLACE FUNCTION public.f(a integer, b integer DEFAULT 2)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT a + b$function$;",
            Step(script, SchemaObjectKind.Function, "public.f(a integer, b integer)").Sql);
        Assert.Equal(
            "CREATE OR REPLACE PROCEDURE public.p()\n LANGUAGE plpgsql\nAS $procedure$ BEGIN NULL; END $procedure$;\nCOMMENT ON PROCEDURE public.p() IS 'noop';",
            Step(script, SchemaObjectKind.Procedure, "public.p()").Sql);
    }

    [Fact]
    public async Task Aggregates_are_rebuilt_from_pg_aggregate()
    {
        var script = await ScriptForAsync("CREATE AGGREGATE public.prod(numeric) (SFUNC = numeric_mul, STYPE = numeric, INITCOND = '1');");
        Assert.Equal(
            "CREATE AGGREGATE public.prod(numeric) (\n    SFUNC = numeric_mul,\n    STYPE = numeric,\n    INITCOND = '1'\n);",
            Step(script, SchemaObjectKind.Aggregate, "public.prod(numeric)").Sql);
    }

    [Fact]
    public async Task Operators_name_their_function_arguments_and_commutator()
    {
        var script = await ScriptForAsync(
            "CREATE FUNCTION public.eqci(text, text) RETURNS bool LANGUAGE sql AS 'SELECT lower($1) = lower($2)';" +
            "CREATE OPERATOR public.=~= (FUNCTION = public.eqci, LEFTARG = text, RIGHTARG = text, COMMUTATOR = OPERATOR(public.=~=));");
        Assert.Equal(
            "CREATE OPERATOR public.=~= (\n    FUNCTION = public.eqci,\n    LEFTARG = text,\n    RIGHTARG = text,\n    COMMUTATOR = OPERATOR(public.=~=)\n);",
            Step(script, SchemaObjectKind.Operator, "public.=~= (text, text)").Sql);
    }

    [Fact]
    public async Task Casts_keep_their_function_and_context()
    {
        var script = await ScriptForAsync(
            "CREATE TYPE public.e AS ENUM ('a'); CREATE FUNCTION public.e2i(public.e) RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE CAST (public.e AS int) WITH FUNCTION public.e2i(public.e) AS IMPLICIT;");
        var cast = Step(script, SchemaObjectKind.Cast, "(public.e AS integer)");
        Assert.Equal("CREATE CAST (public.e AS integer) WITH FUNCTION public.e2i(public.e) AS IMPLICIT;", cast.Sql);
        Assert.True(Position(script, "public.e2i(public.e)") < script.Steps.ToList().IndexOf(cast));
    }

    [Fact]
    public async Task Triggers_keep_when_clause_constraint_form_and_disabled_state()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a int); CREATE FUNCTION public.tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;" +
            "CREATE TRIGGER t_when BEFORE UPDATE ON public.t FOR EACH ROW WHEN (OLD.a <> NEW.a) EXECUTE FUNCTION public.tf(); ALTER TABLE public.t DISABLE TRIGGER t_when;" +
            "CREATE CONSTRAINT TRIGGER t_con AFTER INSERT ON public.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.tf();");
        Assert.Equal(
            "CREATE TRIGGER t_when BEFORE UPDATE ON public.t FOR EACH ROW WHEN ((old.a <> new.a)) EXECUTE FUNCTION public.tf();\nALTER TABLE public.t DISABLE TRIGGER t_when;",
            Step(script, SchemaObjectKind.Trigger, "t_when ON public.t").Sql);
        Assert.Equal(
            "CREATE CONSTRAINT TRIGGER t_con AFTER INSERT ON public.t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.tf();",
            Step(script, SchemaObjectKind.Trigger, "t_con ON public.t").Sql);
    }

    [Fact]
    public async Task Rules_use_the_servers_definition()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (a int); CREATE TABLE public.l (a int); CREATE RULE r AS ON INSERT TO public.t DO ALSO INSERT INTO public.l VALUES (NEW.a);");
        Assert.Equal("CREATE RULE r AS\n    ON INSERT TO public.t DO  INSERT INTO public.l (a)\n  VALUES (new.a);", Step(script, SchemaObjectKind.Rule, "r ON public.t").Sql);
    }

    [Fact]
    public async Task Row_level_security_and_policies_are_post_data()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (owner text); ALTER TABLE public.t ENABLE ROW LEVEL SECURITY; ALTER TABLE public.t FORCE ROW LEVEL SECURITY;" +
            "CREATE POLICY mine ON public.t AS RESTRICTIVE FOR UPDATE TO PUBLIC USING (owner = current_user) WITH CHECK (owner IS NOT NULL);");
        Assert.Equal("ALTER TABLE ONLY public.t ENABLE ROW LEVEL SECURITY;\nALTER TABLE ONLY public.t FORCE ROW LEVEL SECURITY;", Step(script, SchemaObjectKind.RowLevelSecurity, "public.t").Sql);
        Assert.Equal(
            "CREATE POLICY mine ON public.t AS RESTRICTIVE FOR UPDATE TO PUBLIC USING ((owner = CURRENT_USER)) WITH CHECK ((owner IS NOT NULL));",
            Step(script, SchemaObjectKind.Policy, "mine ON public.t").Sql);
    }

    [Fact]
    public async Task Publications_keep_their_tables_columns_filters_and_options()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.a (id int PRIMARY KEY, v text); CREATE SCHEMA s2;" +
            "CREATE PUBLICATION p FOR TABLE public.a (id) WHERE (id > 10) WITH (publish = 'insert', publish_via_partition_root = true);" +
            "CREATE PUBLICATION q FOR TABLES IN SCHEMA s2;");
        var publication = Step(script, SchemaObjectKind.Publication, "p");
        Assert.Equal(
            "CREATE PUBLICATION p WITH (publish = 'insert', publish_via_partition_root = true);\nALTER PUBLICATION p ADD TABLE ONLY public.a (id) WHERE ((id > 10));",
            publication.Sql);
        Assert.Equal(
            "CREATE PUBLICATION q WITH (publish = 'insert, update, delete, truncate');\nALTER PUBLICATION q ADD TABLES IN SCHEMA s2;",
            Step(script, SchemaObjectKind.Publication, "q").Sql);
        Assert.Equal(SchemaPhase.PostData, publication.Phase);
    }

    [Fact]
    public async Task Event_triggers_come_last_with_their_tags_and_state()
    {
        var script = await ScriptForAsync(
            "CREATE FUNCTION public.ev() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;" +
            "CREATE EVENT TRIGGER ev ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION public.ev(); ALTER EVENT TRIGGER ev DISABLE;");
        var trigger = Step(script, SchemaObjectKind.EventTrigger, "ev");
        Assert.Equal("CREATE EVENT TRIGGER ev ON ddl_command_end\n    WHEN TAG IN ('CREATE TABLE')\n    EXECUTE FUNCTION public.ev();\nALTER EVENT TRIGGER ev DISABLE;", trigger.Sql);
        Assert.Same(trigger, script.Steps[^1]);
    }

    [Fact]
    public async Task Owners_and_grants_start_from_nothing_and_grant_exactly_the_source_acl()
    {
        var script = SchemaScriptBuilder.Build(await SourceCatalog.ReadAsync(
            "CREATE TABLE public.t (a int, b int); REVOKE ALL ON public.t FROM PUBLIC; GRANT SELECT, UPDATE ON public.t TO PUBLIC; GRANT INSERT (b) ON public.t TO PUBLIC;",
            new CatalogReadOptions { OwnersAndGrants = true }));
        Assert.Equal(
            "ALTER TABLE public.t OWNER TO postgres;\nREVOKE ALL ON TABLE public.t FROM PUBLIC;\nREVOKE ALL ON TABLE public.t FROM postgres;\n" +
            "GRANT INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE public.t TO postgres;\nGRANT SELECT, UPDATE ON TABLE public.t TO PUBLIC;\n" +
            "GRANT INSERT (b) ON TABLE public.t TO PUBLIC;",
            Step(script, SchemaObjectKind.Privileges, "public.t").Sql);
    }

    [Fact]
    public async Task Extended_statistics_use_the_servers_definition()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (a int, b int); CREATE STATISTICS public.st (dependencies) ON a, b FROM public.t;");
        Assert.Equal("CREATE STATISTICS public.st (dependencies) ON a, b FROM public.t;", Step(script, SchemaObjectKind.Statistics, "public.st").Sql);
    }

    [Fact]
    public async Task Comments_on_columns_and_constraints_travel_with_their_object()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (a int CONSTRAINT a_pos CHECK (a > 0)); COMMENT ON COLUMN public.t.a IS 'the a'; COMMENT ON CONSTRAINT a_pos ON public.t IS 'positive';");
        var sql = Step(script, SchemaObjectKind.Table, "public.t").Sql;
        Assert.Contains("COMMENT ON COLUMN public.t.a IS 'the a';", sql, StringComparison.Ordinal);
        Assert.Contains("COMMENT ON CONSTRAINT a_pos ON public.t IS 'positive';", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_used_by_a_default_is_created_before_the_default()
    {
        var script = await ScriptForAsync(
            "CREATE TABLE public.t (id int); CREATE FUNCTION public.zz_next() RETURNS int LANGUAGE sql AS 'SELECT 1'; ALTER TABLE public.t ALTER id SET DEFAULT public.zz_next();");
        Assert.True(Position(script, "public.zz_next()") < Position(script, "public.t.id"));
    }

    [Fact]
    public async Task View_grouping_by_a_primary_key_is_deferred_until_after_the_key()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (id int PRIMARY KEY, a text); CREATE VIEW public.v AS SELECT id, a FROM public.t GROUP BY id;");
        Assert.Equal(SchemaStage.DeferredDefinitions, Step(script, SchemaObjectKind.View, "public.v").Stage);
    }

    [Fact]
    public async Task Views_come_after_the_views_they_read_whatever_their_names()
    {
        var script = await ScriptForAsync("CREATE TABLE public.t (a int); CREATE VIEW public.z AS SELECT a FROM public.t; CREATE VIEW public.a AS SELECT a FROM public.z;");
        Assert.True(Position(script, "public.z") < Position(script, "public.a"));
    }

    private static SchemaStep Step(SchemaScript script, SchemaObjectKind kind, string name) =>
        script.Steps.SingleOrDefault(s => s.Kind == kind && s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No {kind} step named {name}. Steps: {string.Join(", ", script.Steps.Select(s => s.Description))}");

    private static int Position(SchemaScript script, string name) =>
        script.Steps.ToList().FindIndex(s => s.Name == name) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"No step named {name}.");

    [Fact]
    public async Task A_filter_decides_for_database_wide_objects_too_and_says_what_it_left_out()
    {
        const string Sql = """
            CREATE EXTENSION postgres_fdw;
            CREATE SERVER archive FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'archive.example', dbname 'archive');
            CREATE SCHEMA big; CREATE SCHEMA other;
            CREATE TABLE big.t (id int PRIMARY KEY);
            CREATE TABLE other.u (id int PRIMARY KEY);
            CREATE FOREIGN TABLE other.remote (id int) SERVER archive;
            CREATE PUBLICATION other_pub FOR TABLE other.u;
            CREATE PUBLICATION big_pub FOR TABLE big.t, other.u;
            CREATE PUBLICATION everything FOR ALL TABLES;
            """;
        var catalog = await SourceCatalog.ReadAsync(Sql);

        var script = SchemaScriptBuilder.Build(catalog, CatalogFilter.Create(["big"], [], catalog));

        Assert.DoesNotContain(script.Steps, s => s.Kind == SchemaObjectKind.ForeignServer);
        Assert.Equal(["big_pub"], script.Steps.Where(s => s.Kind == SchemaObjectKind.Publication).Select(s => s.Name));
        Assert.DoesNotContain("other.u", script.Steps.Single(s => s.Kind == SchemaObjectKind.Publication).Sql, StringComparison.Ordinal);
        Assert.Contains("publication other_pub: none of its tables is included", script.FilteredOut);
        Assert.Contains(script.FilteredOut, f => f.StartsWith("publication everything:", StringComparison.Ordinal));
        Assert.Contains("foreign server archive: no included foreign table uses it", script.FilteredOut);

        var withRemote = SchemaScriptBuilder.Build(catalog, CatalogFilter.Create(["other"], [], catalog));
        Assert.Contains(withRemote.Steps, s => s.Kind == SchemaObjectKind.ForeignServer);
    }

    private static async Task<SchemaScript> ScriptForAsync(string sql) => SchemaScriptBuilder.Build(await SourceCatalog.ReadAsync(sql));
}
