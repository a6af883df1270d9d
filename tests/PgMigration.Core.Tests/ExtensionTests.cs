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
}
