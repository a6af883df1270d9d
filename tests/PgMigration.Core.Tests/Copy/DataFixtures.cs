namespace PgMigration.Core.Tests.Copy;

/// <summary>Tables for the data engine's tests; the DDL runs on both servers, the rows only on the source.</summary>
internal static class DataFixtures
{
    /// <summary>Every column type the engine must move exactly, with NULLs and edge values.</summary>
    public const string WideSchema = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TYPE pair AS (label text, amount numeric(10,2));
        CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
        CREATE DOMAIN moods AS mood[];
        CREATE TABLE wide (
            id bigint GENERATED ALWAYS AS IDENTITY,
            c_int2 smallint, c_int4 integer, c_numeric numeric(30,10), c_numeric_free numeric,
            c_float4 real, c_float8 double precision, c_bool boolean,
            c_text text, c_varchar varchar(20), c_char char(5), c_bytea bytea,
            c_date date, c_time time, c_timetz timetz, c_timestamp timestamp, c_timestamptz timestamptz, c_interval interval,
            c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml,
            c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8, c_money money,
            c_bit bit(4), c_varbit varbit(16), c_tsvector tsvector, c_tsquery tsquery,
            c_point point, c_line line, c_lseg lseg, c_box box, c_path path, c_polygon polygon, c_circle circle,
            c_int4range int4range, c_tstzrange tstzrange, c_multirange int4multirange,
            c_int_array integer[], c_text_array text[], c_2d_array float8[][],
            c_enum mood, c_domain positive, c_pg_lsn pg_lsn, c_oid oid,
            c_generated text GENERATED ALWAYS AS (upper(c_text)) STORED,
            PRIMARY KEY (id)
        );
        CREATE TABLE wide_user_types (
            id integer PRIMARY KEY,
            c_enum_array mood[], c_composite pair, c_composite_array pair[], c_domain_array moods
        );
        """;

    public const string WideRows = """
        INSERT INTO wide (c_int2, c_int4, c_numeric, c_numeric_free, c_float4, c_float8, c_bool, c_text, c_varchar, c_char, c_bytea,
            c_date, c_time, c_timetz, c_timestamp, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_xml,
            c_inet, c_cidr, c_macaddr, c_macaddr8, c_money, c_bit, c_varbit, c_tsvector, c_tsquery,
            c_point, c_line, c_lseg, c_box, c_path, c_polygon, c_circle, c_int4range, c_tstzrange, c_multirange,
            c_int_array, c_text_array, c_2d_array, c_enum, c_domain, c_pg_lsn, c_oid)
        SELECT (i % 32000)::int2, i, (i * 1.0123456789)::numeric(30,10), ('1e' || (i % 40))::numeric * 3.14159,
               CASE i % 4 WHEN 0 THEN 'NaN'::real WHEN 1 THEN '-0'::real ELSE i / 7.0 END,
               CASE i % 5 WHEN 0 THEN 'Infinity'::float8 WHEN 1 THEN '-Infinity' WHEN 2 THEN 1e-300 ELSE i / 3.0 END,
               i % 2 = 0,
               'row ' || i || E' tab\t newline\n quote'' backslash\\ ünïcødé ☃', left('v' || i, 20), 'c' || (i % 10),
               decode(md5(i::text), 'hex') || '\x00ff'::bytea,
               date '2000-01-01' + i, time '00:00:01' + i * interval '1 second', '12:34:56+05:30'::timetz,
               timestamp '1999-12-31 23:59:59.999999' + i * interval '1 minute', timestamptz '2020-02-29 12:00:00+00' - i * interval '1 hour',
               make_interval(years => i % 3, days => i % 40, secs => i / 1000.0),
               md5(i::text)::uuid, json_build_object('i', i, 'nested', json_build_array(1, 'two', null)),
               jsonb_build_object('i', i, 'text', 'x' || i, 'float', 1.5),
               ('<row id="' || i || '"><v>' || i || '</v></row>')::xml,
               ('10.' || (i % 255) || '.0.1/24')::inet, '192.168.0.0/16', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', i * 1.25,
               (i % 16)::bit(4), (i % 65536)::bit(16)::varbit, to_tsvector('english', 'the quick brown fox ' || i), to_tsquery('fox & ' || (i % 9 + 1)),
               point(i, -i), line(point(0, 0), point(1, i + 1)), lseg(point(0, 0), point(i, i)), box(point(0, 0), point(i, i)),
               path(polygon(box(point(0, 0), point(1, i)))), polygon(box(point(0, 0), point(i, 1))), circle(point(i, i), i + 1),
               int4range(i, i + 10), tstzrange(timestamptz '2021-01-01', timestamptz '2021-01-01' + i * interval '1 day'),
               int4multirange(int4range(1, 3), int4range(i + 5, i + 9)),
               ARRAY[i, i + 1, NULL], ARRAY['a' || i, NULL, 'quote"d', 'com,ma'], ARRAY[[i / 2.0, 1], [3, 4]],
               (ARRAY['sad', 'ok', 'happy'])[i % 3 + 1]::mood, i + 1, ('16/' || to_hex(i))::pg_lsn, i::oid
          FROM generate_series(1, 2000) AS s(i);
        INSERT INTO wide (c_text) VALUES (NULL);
        INSERT INTO wide_user_types
        SELECT i, ARRAY['sad', 'happy']::mood[], ROW('label ' || i || E' "q" \\ \n', i / 100.0)::pair,
               ARRAY[ROW('a', 1)::pair, ROW(NULL, NULL)::pair], ARRAY['ok']::moods
          FROM generate_series(1, 3000) AS s(i);
        INSERT INTO wide_user_types (id) VALUES (0);
        """;

    /// <summary>Keys of several shapes, a keyless table, partitions and row level security.</summary>
    public const string ShapesSchema = """
        CREATE TABLE text_key (code text PRIMARY KEY, payload text);
        CREATE TABLE composite_key (region text NOT NULL, day date NOT NULL, seq integer NOT NULL, amount numeric, UNIQUE (region, day, seq));
        CREATE TABLE uuid_key (id uuid PRIMARY KEY, n integer);
        CREATE TABLE keyless (a integer, b text);
        CREATE TABLE measurements (city integer NOT NULL, logged date NOT NULL, value double precision, PRIMARY KEY (city, logged))
            PARTITION BY RANGE (logged);
        CREATE TABLE measurements_2020 PARTITION OF measurements FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
        CREATE TABLE measurements_2021 PARTITION OF measurements FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
        CREATE TABLE no_columns ();
        CREATE TABLE secured (id integer PRIMARY KEY, owner text);
        ALTER TABLE secured ENABLE ROW LEVEL SECURITY;
        ALTER TABLE secured FORCE ROW LEVEL SECURITY;
        CREATE POLICY only_alice ON secured USING (owner = 'alice');
        """;

    public const string ShapesRows = """
        INSERT INTO text_key SELECT 'k' || lpad(i::text, 6, '0') || CASE WHEN i % 7 = 0 THEN ' ''q''' ELSE '' END, repeat('x', i % 50) FROM generate_series(1, 5000) i;
        INSERT INTO composite_key SELECT 'r' || (i % 5), date '2020-01-01' + (i % 300), i, i * 0.5 FROM generate_series(1, 6000) i;
        INSERT INTO uuid_key SELECT md5(i::text)::uuid, i FROM generate_series(1, 3000) i;
        INSERT INTO keyless SELECT i % 10, 'dup' FROM generate_series(1, 4000) i;
        INSERT INTO measurements SELECT i % 20, date '2020-01-01' + (i / 20), random() FROM generate_series(1, 14000) i;
        INSERT INTO no_columns SELECT FROM generate_series(1, 25);
        INSERT INTO secured SELECT i, CASE WHEN i % 2 = 0 THEN 'alice' ELSE 'bob' END FROM generate_series(1, 500) i;
        ANALYZE;
        """;
}
