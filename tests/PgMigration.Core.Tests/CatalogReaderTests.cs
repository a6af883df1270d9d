using PgMigration.Core.Catalog;

namespace PgMigration.Core.Tests;

public class CatalogReaderTests
{
    [Fact]
    public async Task Extension_members_and_system_schemas_are_not_read_as_user_objects()
    {
        var catalog = await ReadAsync("CREATE EXTENSION pg_trgm; CREATE EXTENSION citext;");
        Assert.Empty(catalog.Routines);
        Assert.Empty(catalog.Operators);
        Assert.Empty(catalog.Unsupported);
        Assert.Equal(["citext", "pg_trgm", "plpgsql"], catalog.Extensions.Select(e => e.Name).Order());
        Assert.Equal(["public"], catalog.Schemas.Select(s => s.Name));
    }

    [Fact]
    public async Task Tables_carry_sizes_estimated_rows_and_dropped_column_holes()
    {
        var catalog = await ReadAsync(
            "CREATE TABLE public.t (a int, gone text, b int); INSERT INTO public.t SELECT g, 'x', g FROM generate_series(1, 1000) g; ALTER TABLE public.t DROP COLUMN gone; ANALYZE public.t;",
            new CatalogReadOptions { TableSizes = true });
        var table = Assert.Single(catalog.Tables);
        Assert.Equal(1000, table.EstimatedRows);
        Assert.True(table.TotalBytes > 8192);
        Assert.True(table.HasDroppedColumns);
        Assert.Equal(["a", "b"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task Table_sizes_are_measured_only_when_asked_for()
    {
        // Measuring opens every table, index and TOAST table on the server; a migration does not show sizes.
        var catalog = await ReadAsync("CREATE TABLE public.t (a int PRIMARY KEY, b text); INSERT INTO public.t SELECT g, 'x' FROM generate_series(1, 100) g;");
        Assert.Null(Assert.Single(catalog.Tables).TotalBytes);
    }

    [Fact]
    public async Task Sequences_know_their_owner_identity_and_current_value()
    {
        var catalog = await ReadAsync("CREATE TABLE public.t (id serial, n int GENERATED ALWAYS AS IDENTITY); INSERT INTO public.t DEFAULT VALUES; INSERT INTO public.t DEFAULT VALUES;");
        var serial = catalog.Sequences.Single(s => s.Name.Name == "t_id_seq");
        Assert.Equal(new SequenceOwner(new("public", "t"), "id"), serial.OwnedBy);
        Assert.False(serial.IsIdentity);
        Assert.Equal(new SequenceValue(2, IsCalled: true), serial.Value);
        var identity = catalog.Sequences.Single(s => s.Name.Name == "t_n_seq");
        Assert.True(identity.IsIdentity);
        Assert.Same(identity, catalog.Tables.Single().Columns.Single(c => c.Name == "n").IdentitySequence);
    }

    [Fact]
    public async Task Unsupported_objects_are_listed_with_a_reason()
    {
        var catalog = await ReadAsync(
            "CREATE EXTENSION postgres_fdw; CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw; CREATE USER MAPPING FOR CURRENT_USER SERVER far;" +
            "CREATE TABLE public.p (a int) PARTITION BY LIST (a); CREATE FOREIGN TABLE public.remote PARTITION OF public.p FOR VALUES IN (1) SERVER far;" +
            "SELECT lo_create(0);");
        var kinds = catalog.Unsupported.Select(u => $"{u.Kind} {u.Name}").ToList();
        Assert.Contains("foreign table public.remote", kinds);
        Assert.Contains("user mapping postgres on server far", kinds);
        Assert.Equal(1, catalog.LargeObjects);
        Assert.DoesNotContain(kinds, k => k.StartsWith("large object", StringComparison.Ordinal));
        Assert.DoesNotContain(kinds, k => k.StartsWith("foreign-data wrapper", StringComparison.Ordinal));
    }

    private static Task<DatabaseCatalog> ReadAsync(string sql, CatalogReadOptions? options = null) => SourceCatalog.ReadAsync(sql, options);
}
