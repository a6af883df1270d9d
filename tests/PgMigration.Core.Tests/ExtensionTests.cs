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
