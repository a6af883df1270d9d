using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>Objects that belong to, or lean on, extensions: what pg_dump carries, on the target too.</summary>
public class ExtensionTests
{
    [Fact]
    public async Task An_expression_index_on_earthdistance_which_needs_its_search_path_migrates()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("earth_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("earth_dst");

        // ll_to_earth names cube's functions and its own earth type unqualified.
        await source.ExecuteAsync("""
            CREATE EXTENSION cube;
            CREATE EXTENSION earthdistance;
            CREATE TABLE public.places (id int PRIMARY KEY, lat float8 NOT NULL, lon float8 NOT NULL);
            INSERT INTO public.places SELECT g, (g % 180) - 90, (g % 360) - 180 FROM generate_series(1, 2000) g;
            CREATE INDEX places_earth ON public.places USING gist (ll_to_earth(lat, lon));
            CREATE MATERIALIZED VIEW public.place_points AS SELECT id, ll_to_earth(lat, lon) AS point FROM public.places;
            """);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "earth", Source = "source", Target = "target", Mode = MigrationMode.All });

        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        Assert.Equal(2000L, await target.ScalarAsync<long>("SELECT count(*) FROM public.place_points"));
    }

    [Fact]
    public async Task Contrib_modules_with_their_types_operator_classes_and_functions_migrate_identically()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("contrib_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("contrib_dst");
        await source.ExecuteAsync(ContribFixture);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "contrib", Source = "source", Target = "target", Mode = MigrationMode.All });

        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        // The indexes work on the target: each query below is answered through its opclass.
        foreach (var query in ContribQueries)
        {
            Assert.Equal(await source.ScalarAsync<long>(query), await target.ScalarAsync<long>(query));
        }
    }

    [Fact]
    public async Task Pgvector_columns_and_their_hnsw_and_ivfflat_indexes_migrate_identically()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("vector_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("vector_dst");
        await source.ExecuteAsync("""
            CREATE EXTENSION vector;
            CREATE TABLE public.documents (
                id bigint PRIMARY KEY,
                title text NOT NULL,
                embedding public.vector(3) NOT NULL,
                summary public.halfvec(4),
                terms public.sparsevec(6),
                untyped public.vector);
            INSERT INTO public.documents
            SELECT g, 'document ' || g, ARRAY[sin(g), cos(g), g % 7]::public.vector(3), ARRAY[g % 3, g % 5, 0.5, -g % 11]::public.halfvec(4),
                   ('{' || 1 + g % 6 || ':' || g % 9 || ',' || 1 + (g + 3) % 6 || ':1.5}/6')::public.sparsevec(6), CASE WHEN g % 2 = 0 THEN ARRAY[g, 1]::public.vector END
              FROM generate_series(1, 2000) g;
            CREATE INDEX documents_embedding_hnsw ON public.documents USING hnsw (embedding public.vector_l2_ops) WITH (m = 8, ef_construction = 32);
            CREATE INDEX documents_embedding_ivfflat ON public.documents USING ivfflat (embedding public.vector_ip_ops) WITH (lists = 10);
            CREATE INDEX documents_summary_hnsw ON public.documents USING hnsw (summary public.halfvec_cosine_ops);
            CREATE INDEX documents_summary_ivfflat ON public.documents USING ivfflat (summary public.halfvec_l2_ops) WITH (lists = 5);
            CREATE INDEX documents_terms_hnsw ON public.documents USING hnsw (terms public.sparsevec_l1_ops);
            CREATE INDEX documents_embedding_half ON public.documents USING hnsw ((embedding::public.halfvec(3)) public.halfvec_ip_ops);
            CREATE INDEX documents_embedding_bits ON public.documents USING hnsw ((public.binary_quantize(embedding)::bit(3)) public.bit_hamming_ops);
            CREATE VIEW public.nearest AS
            SELECT id, embedding OPERATOR(public.<->) '[1,0,3]'::public.vector AS distance FROM public.documents ORDER BY 2, 1 LIMIT 10;
            ANALYZE;
            """);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "vector", Source = "source", Target = "target", Mode = MigrationMode.All });

        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
        const string Nearest = "SELECT string_agg(id::text, ',') FROM public.nearest";
        Assert.Equal(await source.ScalarAsync<string>(Nearest), await target.ScalarAsync<string>(Nearest));
    }

    // The contrib modules Azure Database for PostgreSQL allows, each with the types, operator classes and
    // functions its users index and query by.
    private const string ContribFixture = """
        CREATE EXTENSION hstore;
        CREATE EXTENSION citext;
        CREATE EXTENSION ltree;
        CREATE EXTENSION pg_trgm;
        CREATE EXTENSION btree_gist;
        CREATE EXTENSION "uuid-ossp";
        CREATE EXTENSION pgcrypto;
        CREATE EXTENSION intarray;
        CREATE EXTENSION cube;
        CREATE EXTENSION earthdistance;
        CREATE EXTENSION tablefunc;
        CREATE EXTENSION unaccent;
        CREATE EXTENSION fuzzystrmatch;
        CREATE TABLE public.items (
            id uuid PRIMARY KEY DEFAULT public.uuid_generate_v4(),
            n int NOT NULL UNIQUE,
            email public.citext NOT NULL UNIQUE,
            attributes public.hstore,
            path public.ltree NOT NULL,
            title text NOT NULL,
            tags int[] NOT NULL,
            position public.cube,
            lat float8 NOT NULL,
            lon float8 NOT NULL,
            secret bytea GENERATED ALWAYS AS (public.digest(title, 'sha256')) STORED);
        INSERT INTO public.items (n, email, attributes, path, title, tags, position, lat, lon)
        SELECT g, 'User' || g || '@Example.com', public.hstore(ARRAY['color', 'size'], ARRAY[(ARRAY['red', 'green', 'blue'])[1 + g % 3], (g % 7)::text]),
               ('top.' || (ARRAY['science', 'art', 'sport'])[1 + g % 3] || '.n' || g)::public.ltree, 'Crème brûlée number ' || g,
               ARRAY[g % 10, g % 17, g % 23], public.cube(ARRAY[g % 10, g % 20, g % 30]::float8[]), (g % 180) - 90, (g % 360) - 180
          FROM generate_series(1, 3000) g;
        CREATE INDEX items_attributes_gin ON public.items USING gin (attributes);
        CREATE INDEX items_attributes_gist ON public.items USING gist (attributes public.gist_hstore_ops (siglen = 32));
        CREATE INDEX items_path_gist ON public.items USING gist (path public.gist_ltree_ops (siglen = 16));
        CREATE INDEX items_path_btree ON public.items (path);
        CREATE INDEX items_title_trgm_gin ON public.items USING gin (title public.gin_trgm_ops);
        CREATE INDEX items_title_trgm_gist ON public.items USING gist (title public.gist_trgm_ops (siglen = 64));
        CREATE INDEX items_tags_gin ON public.items USING gin (tags public.gin__int_ops);
        CREATE INDEX items_tags_gist ON public.items USING gist (tags public.gist__intbig_ops);
        CREATE INDEX items_position ON public.items USING gist (position);
        CREATE INDEX items_earth ON public.items USING gist (public.ll_to_earth(lat, lon));
        CREATE INDEX items_soundex ON public.items (public.soundex(title));
        CREATE INDEX items_metaphone ON public.items (public.dmetaphone(title));
        CREATE TABLE public.bookings (
            room int NOT NULL,
            during tsrange NOT NULL,
            guest public.citext NOT NULL,
            EXCLUDE USING gist (room WITH =, during WITH &&));
        INSERT INTO public.bookings SELECT g % 20, tsrange(timestamp '2024-01-01' + g * interval '1 day', timestamp '2024-01-01' + (g + 1) * interval '1 day'), 'Guest ' || g
          FROM generate_series(1, 500) g;
        CREATE INDEX bookings_guest_gist ON public.bookings USING gist (guest, room);
        CREATE TEXT SEARCH CONFIGURATION public.unaccented (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION public.unaccented ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem;
        CREATE INDEX items_fts ON public.items USING gin (to_tsvector('public.unaccented'::regconfig, title));
        CREATE VIEW public.color_counts AS
        SELECT * FROM public.crosstab(
            'SELECT path::text, attributes -> ''color'', count(*)::int FROM public.items WHERE n <= 30 GROUP BY 1, 2 ORDER BY 1, 2',
            'SELECT DISTINCT attributes -> ''color'' FROM public.items ORDER BY 1') AS ct(path text, blue int, green int, red int);
        CREATE VIEW public.near_misses AS
        SELECT a.n, b.n AS other, public.levenshtein(a.title, b.title) AS distance, public.similarity(a.title, b.title) AS similarity
          FROM public.items a JOIN public.items b ON b.n = a.n + 1 WHERE a.n <= 50;
        ANALYZE;
        """;

    private static readonly string[] ContribQueries =
    [
        "SELECT count(*) FROM public.items WHERE attributes @> 'color=>red'",
        "SELECT count(*) FROM public.items WHERE path <@ 'top.art'",
        "SELECT count(*) FROM public.items WHERE title % 'Creme brulee number 12'",
        "SELECT count(*) FROM public.items WHERE tags @@ '3 & 5'::public.query_int",
        "SELECT count(*) FROM public.items WHERE public.earth_box(public.ll_to_earth(0, 0), 500000) @> public.ll_to_earth(lat, lon)",
        "SELECT count(*) FROM public.items WHERE email = 'USER7@example.COM'",
        "SELECT count(*) FROM public.items WHERE to_tsvector('public.unaccented'::regconfig, title) @@ to_tsquery('public.unaccented'::regconfig, 'creme')",
        "SELECT count(*) FROM public.color_counts",
        "SELECT sum(distance) FROM public.near_misses",
    ];

    [Fact]
    public async Task Rows_a_user_added_to_an_extensions_configuration_table_migrate_with_it()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("srid_src");
        await using var target = await PostgresServer.CreateDatabaseAsync("srid_dst");

        // A custom SRID (spatial_ref_sys keeps what its extcondition selects: the rows PostGIS did not ship).
        await source.ExecuteAsync("""
            CREATE EXTENSION postgis;
            INSERT INTO public.spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
            SELECT 990001, 'custom', 990001, srtext, proj4text FROM public.spatial_ref_sys WHERE srid = 3857;
            CREATE TABLE public.sites (id int PRIMARY KEY, geom public.geometry(Point, 990001) NOT NULL);
            INSERT INTO public.sites SELECT g, public.ST_SetSRID(public.ST_MakePoint(g * 1000, g * 500), 990001) FROM generate_series(1, 100) g;
            """);

        await InProcessMigration.RunAsync(source, target, new MigrationInput { Id = "srid", Source = "source", Target = "target", Mode = MigrationMode.All });

        Assert.Equal(
            await source.ScalarAsync<string>("SELECT proj4text FROM public.spatial_ref_sys WHERE srid = 990001"),
            await target.ScalarAsync<string>("SELECT proj4text FROM public.spatial_ref_sys WHERE srid = 990001"));
        Assert.Equal(
            await source.ScalarAsync<string>("SELECT public.ST_AsText(public.ST_Transform(geom, 4326)) FROM public.sites WHERE id = 7"),
            await target.ScalarAsync<string>("SELECT public.ST_AsText(public.ST_Transform(geom, 4326)) FROM public.sites WHERE id = 7"));
        Assert.Equal(await PgDump.SchemaAsync(source.ConnectionString), await PgDump.SchemaAsync(target.ConnectionString));
        Assert.Equal(await RowHashes.OfEveryTableAsync(source), await RowHashes.OfEveryTableAsync(target));
    }

    [Fact]
    public async Task Grants_on_an_extensions_own_tables_are_the_extensions_and_not_reported_as_not_migrated()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("extgrants");
        await source.ExecuteAsync("CREATE EXTENSION postgis; CREATE TABLE public.mine (id int); GRANT SELECT ON public.mine TO PUBLIC;");
        await using var dataSource = NpgsqlDataSource.Create(source.ConnectionString);

        var catalog = await new CatalogReader(dataSource).ReadAsync();

        // spatial_ref_sys is granted to PUBLIC by PostGIS's script; only the user's own table counts.
        var privileges = Assert.Single(catalog.Unsupported, u => u.Kind == "privileges");
        Assert.Equal("grants on 1 relation(s)", privileges.Name);
    }
}
