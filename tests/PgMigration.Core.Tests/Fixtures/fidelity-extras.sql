-- A second sample database, written apart from fidelity.sql, with what real databases carry and
-- that one does not: an extension in its own schema, SQL-standard bodies, overloads, OUT and
-- VARIADIC parameters, multiple inheritance, attached partitions, dropped columns, arrays of
-- user-defined types, INSTEAD OF triggers, objects that are reported rather than migrated.
CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;
CREATE EXTENSION "uuid-ossp";
CREATE SCHEMA shop;
CREATE TYPE shop.mood AS ENUM ('sad','ok','happy');
CREATE TYPE shop.pair AS (a int, b shop.mood[]);
CREATE DOMAIN shop.moods AS shop.mood[] CHECK (cardinality(VALUE) < 10);
CREATE TABLE shop.items (
  id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
  attrs ext.hstore,
  moods shop.mood[] DEFAULT '{ok}',
  pairs shop.pair[],
  m shop.moods,
  price money,
  tags text[] NOT NULL DEFAULT '{}',
  big numeric,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(attrs OPERATOR(ext.->) 'name', ''))) STORED
);
CREATE TABLE shop.stock (item_id uuid REFERENCES shop.items ON DELETE SET NULL, qty int CHECK (qty >= 0) NO INHERIT, at timestamptz(3) DEFAULT clock_timestamp());
CREATE SEQUENCE shop.lonely_seq;
CREATE TABLE shop.serials (id serial, other bigserial, s smallserial);
CREATE FUNCTION shop.qty_total(p uuid) RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(qty) FROM shop.stock WHERE item_id = p; END;
CREATE FUNCTION shop.split(IN t text, OUT a text, OUT b text) LANGUAGE sql AS $$ SELECT split_part(t, ',', 1), split_part(t, ',', 2) $$;
CREATE FUNCTION shop.sumall(VARIADIC xs int[]) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT sum(x)::int FROM unnest(xs) x';
CREATE FUNCTION shop.sumall(a text) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT length(a)';
CREATE FUNCTION shop.secdef() RETURNS int LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp COST 5 AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION shop.setof_items() RETURNS SETOF shop.items LANGUAGE sql STABLE ROWS 10 AS 'SELECT * FROM shop.items';
CREATE VIEW shop.item_totals AS SELECT i.id, shop.qty_total(i.id) AS total FROM shop.items i;
CREATE VIEW shop.v2 AS SELECT * FROM shop.item_totals WHERE total > 0;
CREATE FUNCTION shop.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v2_ins INSTEAD OF INSERT ON shop.v2 FOR EACH ROW EXECUTE FUNCTION shop.v_ins();
CREATE TABLE shop.parent_a (a int);
CREATE TABLE shop.parent_b (b int);
CREATE TABLE shop.child (c int) INHERITS (shop.parent_a, shop.parent_b);
CREATE TABLE shop.measure (city int, logdate date not null, v int) PARTITION BY RANGE (logdate);
CREATE TABLE shop.measure_y1 (city int, logdate date not null, v int);
ALTER TABLE shop.measure ATTACH PARTITION shop.measure_y1 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX ON shop.measure (city);
CREATE TEXT SEARCH CONFIGURATION shop.my_ts (COPY = pg_catalog.simple);
CREATE TABLE shop.wide (id bigint GENERATED ALWAYS AS IDENTITY (START 5 INCREMENT 5 MAXVALUE 1000000 CACHE 3 CYCLE), x int);
ALTER TABLE shop.wide DROP COLUMN x;
ALTER TABLE shop.wide ADD COLUMN y text COLLATE "C";
CREATE INDEX wide_y ON shop.wide (y text_pattern_ops) WITH (fillfactor = 70);
CREATE POLICY p ON shop.items USING (shop.qty_total(id) > 0);
ALTER TABLE shop.items ENABLE ROW LEVEL SECURITY;
COMMENT ON COLUMN shop.v2.total IS 'view column';
CREATE FUNCTION shop.case_end(x int) RETURNS text LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 'pos' ELSE 'neg' END; END;
CREATE PROCEDURE shop.restock(p uuid, n int) LANGUAGE sql BEGIN ATOMIC INSERT INTO shop.stock (item_id, qty) VALUES (p, n); UPDATE shop.stock SET qty = qty WHERE item_id = p; END;
