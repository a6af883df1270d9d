-- A sample database with every object kind pgmigrate migrates, hostile identifiers included.
-- Loaded by the fidelity tests and by scripts/demo.sh; keep it idempotent-free and self-contained.

CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application tables';
CREATE SCHEMA "Mixed Case";
CREATE SCHEMA "with space";
CREATE SCHEMA "quote""d";
CREATE SCHEMA audit;

CREATE COLLATION app.ci_icu (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.c_libc (provider = libc, locale = 'C');
COMMENT ON COLLATION app.ci_icu IS 'case-insensitive';

CREATE TYPE app.order_status AS ENUM ('new', 'paid', 'shipped', 'it''s done');
COMMENT ON TYPE app.order_status IS 'lifecycle of an order';
CREATE TYPE app.address AS (street text COLLATE "C", city text, zip varchar(10));
CREATE DOMAIN app.positive_int AS integer DEFAULT 1 NOT NULL CONSTRAINT positive CHECK (VALUE > 0);
COMMENT ON DOMAIN app.positive_int IS 'strictly positive';
CREATE DOMAIN app.email AS citext CONSTRAINT has_at CHECK (VALUE ~ '@');
CREATE FUNCTION app.float_diff(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2';
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = app.float_diff);
CREATE TYPE "Mixed Case"."Odd Type" AS ENUM ('A', 'b');

CREATE SEQUENCE app.invoice_no AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999999 CACHE 5 CYCLE;
COMMENT ON SEQUENCE app.invoice_no IS 'invoice numbers';
CREATE UNLOGGED SEQUENCE app.scratch_seq;

CREATE FUNCTION app.next_invoice() RETURNS integer LANGUAGE sql AS $$ SELECT nextval('app.invoice_no')::integer $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.touch() IS 'sets updated_at';
CREATE FUNCTION app.add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN amount * (1 + rate);
CREATE PROCEDURE app.archive(cutoff date) LANGUAGE plpgsql AS $$ BEGIN DELETE FROM app.orders WHERE created_at < cutoff; END $$;
COMMENT ON PROCEDURE app.archive(date) IS 'removes old orders';
CREATE FUNCTION app.check_customer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;

CREATE AGGREGATE app.product(numeric) (SFUNC = numeric_mul, STYPE = numeric, INITCOND = '1', PARALLEL = SAFE);
COMMENT ON AGGREGATE app.product(numeric) IS 'multiplies';
CREATE FUNCTION app.text_eq_ci(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT lower($1) = lower($2)';
CREATE OPERATOR app.=~= (FUNCTION = app.text_eq_ci, LEFTARG = text, RIGHTARG = text, COMMUTATOR = OPERATOR(app.=~=));
COMMENT ON OPERATOR app.=~= (text, text) IS 'case-insensitive equality';

CREATE TABLE app.customers (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 1),
    email app.email NOT NULL,
    name text COLLATE app.ci_icu NOT NULL,
    home app.address,
    status app.order_status DEFAULT 'new',
    score numeric(10,2) CHECK (score >= 0),
    name_upper text GENERATED ALWAYS AS (upper(name COLLATE "C")) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    notes text,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email)
) WITH (fillfactor = 80, autovacuum_enabled = true);
COMMENT ON TABLE app.customers IS 'people who order';
COMMENT ON COLUMN app.customers.email IS 'login; it''s unique';
ALTER TABLE app.customers ALTER COLUMN notes SET STATISTICS 500;
ALTER TABLE app.customers ALTER COLUMN notes SET STORAGE EXTERNAL;
ALTER TABLE app.customers ALTER COLUMN score SET (n_distinct = 100);
CREATE INDEX customers_name_trgm ON app.customers USING gin (name_upper gin_trgm_ops);
CREATE INDEX customers_lower_email ON app.customers (lower(email::text)) INCLUDE (name) WHERE status <> 'shipped';
COMMENT ON INDEX app.customers_lower_email IS 'partial expression index';
ALTER TABLE app.customers CLUSTER ON customers_pkey;

CREATE TABLE app.orders (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES app.customers (id) ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
    invoice integer DEFAULT app.next_invoice(),
    quantity app.positive_int,
    during tstzrange,
    total numeric(12,2) NOT NULL DEFAULT 0,
    created_at date NOT NULL DEFAULT CURRENT_DATE,
    CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID,
    CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE UNIQUE INDEX orders_invoice_nnd ON app.orders (invoice) NULLS NOT DISTINCT;
CREATE INDEX orders_brin ON app.orders USING brin (created_at);
CREATE INDEX orders_hash ON app.orders USING hash (invoice);
CREATE INDEX orders_desc ON app.orders (created_at DESC NULLS LAST, total);
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_invoice UNIQUE NULLS NOT DISTINCT (customer_id, invoice);
CREATE STATISTICS app.orders_stats (ndistinct, dependencies) ON customer_id, invoice FROM app.orders;
COMMENT ON STATISTICS app.orders_stats IS 'correlated columns';

CREATE TRIGGER orders_touch BEFORE UPDATE ON app.customers FOR EACH ROW WHEN (OLD.notes IS DISTINCT FROM NEW.notes) EXECUTE FUNCTION app.touch();
COMMENT ON TRIGGER orders_touch ON app.customers IS 'keeps updated_at';
CREATE TRIGGER customers_disabled AFTER INSERT ON app.customers FOR EACH STATEMENT EXECUTE FUNCTION app.check_customer();
ALTER TABLE app.customers DISABLE TRIGGER customers_disabled;
CREATE CONSTRAINT TRIGGER orders_check AFTER INSERT OR UPDATE ON app.orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.check_customer();

-- Circular foreign keys.
CREATE TABLE app.departments (id int PRIMARY KEY, manager_id int);
CREATE TABLE app.employees (id int PRIMARY KEY, department_id int REFERENCES app.departments (id));
ALTER TABLE app.departments ADD CONSTRAINT departments_manager_fk FOREIGN KEY (manager_id) REFERENCES app.employees (id);
COMMENT ON CONSTRAINT departments_manager_fk ON app.departments IS 'circular';

-- Declarative partitioning, two levels, DEFAULT partition, partitioned indexes and keys.
CREATE TABLE app.events (
    id bigint NOT NULL,
    happened date NOT NULL,
    kind text NOT NULL,
    payload jsonb,
    PRIMARY KEY (id, happened, kind)
) PARTITION BY RANGE (happened);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (kind);
CREATE TABLE app.events_2024_click PARTITION OF app.events_2024 FOR VALUES IN ('click');
CREATE TABLE app.events_2024_other PARTITION OF app.events_2024 DEFAULT;
CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
CREATE INDEX events_payload ON app.events USING gin (payload);
CREATE INDEX events_kind ON app.events (kind);
CREATE TABLE app.hashed (id int, v text) PARTITION BY HASH (id);
CREATE TABLE app.hashed_0 PARTITION OF app.hashed FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE app.hashed_1 PARTITION OF app.hashed FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE app.event_refs (id int PRIMARY KEY, event_id bigint, happened date, kind text,
    FOREIGN KEY (event_id, happened, kind) REFERENCES app.events (id, happened, kind));

-- Inheritance.
CREATE TABLE audit.log (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), message text);
CREATE TABLE audit.log_special (severity int NOT NULL DEFAULT 0, CHECK (severity BETWEEN 0 AND 9)) INHERITS (audit.log);
CREATE UNLOGGED TABLE audit.scratch (k text PRIMARY KEY, v bytea) WITH (autovacuum_enabled = false);
ALTER TABLE audit.scratch REPLICA IDENTITY FULL;

-- Row level security and policies.
CREATE TABLE app.documents (id int PRIMARY KEY, owner_name text NOT NULL DEFAULT current_user, body text);
ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY documents_owner ON app.documents USING (owner_name = current_user) WITH CHECK (owner_name = current_user);
CREATE POLICY documents_read ON app.documents AS RESTRICTIVE FOR SELECT TO PUBLIC USING (body IS NOT NULL);
COMMENT ON POLICY documents_owner ON app.documents IS 'owners only';

-- Hostile identifiers.
CREATE TABLE "Mixed Case"."Order Lines" (
    "Line ID" int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    "select" text,
    "quote""col" text DEFAULT 'a"b''c',
    "Status" "Mixed Case"."Odd Type" DEFAULT 'A',
    "order" int REFERENCES app.orders (id)
);
CREATE INDEX "Idx With Space" ON "Mixed Case"."Order Lines" ("select", "quote""col");
CREATE TABLE "with space"."table with space" ("column with space" int, "UPPER" text);
CREATE TABLE "quote""d"."ta""ble" ("co""l" int CONSTRAINT "ch""k" CHECK ("co""l" > 0));
CREATE VIEW "quote""d"."vi""ew" AS SELECT "co""l" AS "c""x" FROM "quote""d"."ta""ble";
COMMENT ON TABLE "quote""d"."ta""ble" IS 'quoted "comment"';

-- Views: dependency chains, check option, security barrier, recursion, view on PK group-by.
CREATE VIEW app.order_totals AS
    SELECT c.id, c.name, sum(o.total) AS total, count(*) AS orders
    FROM app.customers c JOIN app.orders o ON o.customer_id = c.id GROUP BY c.id;
COMMENT ON VIEW app.order_totals IS 'per customer';
COMMENT ON COLUMN app.order_totals.total IS 'sum of order totals';
CREATE VIEW app.big_customers WITH (security_barrier = true) AS SELECT * FROM app.order_totals WHERE total > 1000;
CREATE VIEW app.paid_orders AS SELECT * FROM app.orders WHERE total > 0 WITH CASCADED CHECK OPTION;
CREATE RECURSIVE VIEW app.countdown (n) AS SELECT 10 UNION ALL SELECT n - 1 FROM countdown WHERE n > 0;
CREATE VIEW app.tax_view AS SELECT id, app.add_tax(total) AS gross FROM app.orders;
ALTER VIEW app.tax_view ALTER COLUMN gross SET DEFAULT 0;
CREATE MATERIALIZED VIEW app.customer_stats AS SELECT status, count(*) AS n FROM app.customers GROUP BY status;
CREATE UNIQUE INDEX customer_stats_status ON app.customer_stats (status);
COMMENT ON MATERIALIZED VIEW app.customer_stats IS 'refreshed nightly';
CREATE MATERIALIZED VIEW app.stats_of_stats AS SELECT sum(n) AS total FROM app.customer_stats;

-- Rules.
CREATE TABLE app.orders_log (order_id int, note text);
CREATE RULE orders_log_insert AS ON INSERT TO app.paid_orders DO ALSO INSERT INTO app.orders_log VALUES (NEW.id, 'via view');
COMMENT ON RULE orders_log_insert ON app.paid_orders IS 'logs inserts';

-- A user-defined cast.
CREATE FUNCTION app.status_to_int(app.order_status) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT array_position(enum_range(NULL::app.order_status), $1) $$;
CREATE CAST (app.order_status AS integer) WITH FUNCTION app.status_to_int(app.order_status) AS ASSIGNMENT;

-- Objects in public, using an extension type.
CREATE TABLE public.tags (tag citext PRIMARY KEY, weight real DEFAULT 1.0);

-- Edge cases: attached partitions with their own column order, multiple inheritance, SQL-standard bodies,
-- views that need a primary key, extensions that require others, operators that are each other's negator.
CREATE EXTENSION earthdistance CASCADE;
CREATE SCHEMA edge;
CREATE TYPE edge.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN edge.small_pos AS integer CHECK (VALUE > 0);
CREATE DOMAIN edge.tiny_pos AS edge.small_pos CHECK (VALUE < 10);
CREATE TABLE edge.p (a int NOT NULL, b text, c date DEFAULT now()) PARTITION BY LIST (a);
CREATE TABLE edge.c1 (c date, b text, a int NOT NULL, extra_check int, CONSTRAINT c1_local CHECK (b <> ''));
ALTER TABLE edge.c1 DROP COLUMN extra_check;
ALTER TABLE edge.p ATTACH PARTITION edge.c1 FOR VALUES IN (1);
CREATE TABLE edge.c2 PARTITION OF edge.p (b DEFAULT 'two', CONSTRAINT c2_chk CHECK (a = 2)) FOR VALUES IN (2);
CREATE TABLE edge.base1 (id int, x text);
CREATE TABLE edge.base2 (id int, y text, CHECK (y <> '') NO INHERIT);
CREATE TABLE edge.multi (z int) INHERITS (edge.base1, edge.base2);
CREATE TABLE edge.arrays (moods edge.mood[], nums int[][], t edge.tiny_pos, loc earth);
CREATE TABLE edge.items (id int PRIMARY KEY, name text);
CREATE UNIQUE INDEX items_name_uidx ON edge.items (name);
CREATE TABLE edge.refs (name text REFERENCES edge.items (name));
CREATE FUNCTION edge.all_items() RETURNS SETOF edge.items LANGUAGE sql STABLE AS 'SELECT * FROM edge.items';
CREATE FUNCTION edge.item_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM edge.items; END;
CREATE FUNCTION edge.norm(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(trim($1))';
CREATE INDEX items_norm ON edge.items (edge.norm(name));
CREATE VIEW edge.items_grouped AS SELECT id, name, count(*) AS n FROM edge.items GROUP BY id;
CREATE VIEW edge.on_grouped AS SELECT * FROM edge.items_grouped;
CREATE MATERIALIZED VIEW edge.mv_on_view AS SELECT * FROM edge.on_grouped WITH NO DATA;
CREATE FUNCTION edge.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER p_trg AFTER INSERT ON edge.p FOR EACH ROW EXECUTE FUNCTION edge.trg();
CREATE AGGREGATE edge.my_pct(float8 ORDER BY float8) (SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE FUNCTION edge.lt(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1 < $2';
CREATE FUNCTION edge.ge(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1 >= $2';
CREATE OPERATOR edge.<<< (FUNCTION = edge.lt, LEFTARG = int, RIGHTARG = int, NEGATOR = OPERATOR(edge.>>>=));
CREATE OPERATOR edge.>>>= (FUNCTION = edge.ge, LEFTARG = int, RIGHTARG = int, NEGATOR = OPERATOR(edge.<<<));
CREATE TABLE edge.compressed (doc text COMPRESSION pglz);
CREATE TABLE edge.self_ref (id int PRIMARY KEY, parent int REFERENCES edge.self_ref);
CREATE TABLE edge.identity_parent (id int GENERATED ALWAYS AS IDENTITY, v text);
CREATE TABLE edge.identity_child (w text) INHERITS (edge.identity_parent);
CREATE SEQUENCE edge.shared_seq;
CREATE TABLE edge.uses_shared (id bigint DEFAULT nextval('edge.shared_seq'));
CREATE TABLE edge.uses_shared2 (id bigint DEFAULT nextval('edge.shared_seq'));
CREATE TABLE edge."UPPER" ("Id" int PRIMARY KEY, "end" text, "user" text);
CREATE INDEX ON edge."UPPER" ("end" COLLATE "C" DESC);
CREATE VIEW edge.v_with_default AS SELECT "Id", "end" FROM edge."UPPER";
CREATE FUNCTION edge.row_fn(r edge."UPPER") RETURNS text LANGUAGE sql AS 'SELECT r."end"';
CREATE TABLE edge.ts (body text, tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED);
CREATE INDEX ts_idx ON edge.ts USING gin (tsv);
COMMENT ON COLUMN edge.p.a IS 'partition key';
CREATE TABLE edge.tpart (id int, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE edge.tpart_2024 PARTITION OF edge.tpart FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');
ALTER TABLE edge.tpart ADD CONSTRAINT tpart_uq UNIQUE (id, at);
CREATE TABLE edge.tpart_ref (id int, at timestamptz, FOREIGN KEY (id, at) REFERENCES edge.tpart (id, at));

-- Text search: a dictionary, a configuration with changed mappings, and an index that uses it.
CREATE TEXT SEARCH DICTIONARY app.english_nostop (TEMPLATE = pg_catalog.snowball, language = 'english');
COMMENT ON TEXT SEARCH DICTIONARY app.english_nostop IS 'stemming without stop words';
CREATE TEXT SEARCH CONFIGURATION app.my_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION app.my_english ALTER MAPPING FOR asciiword, word WITH app.english_nostop, english_stem;
COMMENT ON TEXT SEARCH CONFIGURATION app.my_english IS 'custom english';
CREATE INDEX documents_fts ON app.documents USING gin (to_tsvector('app.my_english'::regconfig, coalesce(body, '')));

-- A typed table.
CREATE TYPE app.point2 AS (x int, y int);
CREATE TABLE app.points OF app.point2 (PRIMARY KEY (x), CONSTRAINT points_y_positive CHECK (y > 0));

-- Foreign data: a server and a foreign table move (their rows stay remote); user mappings never do.
CREATE EXTENSION postgres_fdw;
CREATE SERVER archive_server FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'archive.example', dbname 'archive', port '5432');
COMMENT ON SERVER archive_server IS 'old orders';
CREATE FOREIGN TABLE app.archived_orders (id int OPTIONS (column_name 'order_id') NOT NULL, total numeric(12,2), CONSTRAINT archived_total CHECK (total >= 0))
    SERVER archive_server OPTIONS (schema_name 'public', table_name 'orders');
CREATE VIEW app.all_order_ids AS SELECT id FROM app.orders UNION ALL SELECT id FROM app.archived_orders;

-- A publication with a column list and a row filter.
CREATE PUBLICATION orders_pub FOR TABLE app.orders, app.customers (id, email) WHERE (id > 100) WITH (publish = 'insert, update');
COMMENT ON PUBLICATION orders_pub IS 'for the reporting replica';

-- An event trigger (disabled, so it never fires on the migration's own DDL).
CREATE FUNCTION app.note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE EVENT TRIGGER app_note_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION app.note_ddl();
ALTER EVENT TRIGGER app_note_ddl DISABLE;
COMMENT ON EVENT TRIGGER app_note_ddl IS 'audits DDL';

-- Operator classes and families, one with a loose member, and an index that uses a class.
CREATE FUNCTION app.rev_cmp(int4, int4) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)';
CREATE OPERATOR CLASS app.int4_desc FOR TYPE int4 USING btree AS
    OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 app.rev_cmp(int4, int4);
COMMENT ON OPERATOR CLASS app.int4_desc USING btree IS 'descending integers';
CREATE OPERATOR FAMILY app.int_hash USING hash;
ALTER OPERATOR FAMILY app.int_hash USING hash ADD OPERATOR 1 =(int4, int4), FUNCTION 1 hashint4(int4);
CREATE INDEX orders_quantity_desc ON app.orders ((quantity::int4) app.int4_desc);

-- A statistics target on an expression index column.
ALTER INDEX app.customers_lower_email ALTER COLUMN 1 SET STATISTICS 400;
