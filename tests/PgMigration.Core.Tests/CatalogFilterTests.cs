using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Tests;

public class CatalogFilterTests
{
    private const string TwoSchemas =
        "CREATE SCHEMA sales; CREATE SCHEMA hr; CREATE EXTENSION citext WITH SCHEMA public;" +
        "CREATE TABLE hr.people (id int PRIMARY KEY, email citext);" +
        "CREATE TABLE sales.orders (id int PRIMARY KEY, person_id int REFERENCES hr.people); CREATE TABLE sales.order_lines (order_id int REFERENCES sales.orders);" +
        "CREATE TABLE sales.notes (t text); CREATE VIEW sales.people_view AS SELECT id FROM hr.people;";

    [Fact]
    public async Task Including_a_schema_takes_its_objects_and_the_extensions_they_need()
    {
        var script = await ScriptAsync(TwoSchemas, include: ["hr"]);
        Assert.Empty(script.BrokenDependencies);
        Assert.Contains(script.Steps, s => s.Kind == SchemaObjectKind.Table && s.Name == "hr.people");
        Assert.Contains(script.Steps, s => s.Kind == SchemaObjectKind.Extension && s.Name == "citext");
        Assert.DoesNotContain(script.Steps, s => s.Name.Contains("sales", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Excluding_a_table_reports_the_foreign_keys_and_views_that_need_it()
    {
        var script = await ScriptAsync(TwoSchemas, exclude: ["hr.people"]);
        Assert.Contains(new BrokenDependency("foreign key orders_person_id_fkey ON sales.orders", "table hr.people"), script.BrokenDependencies);
        Assert.Contains(new BrokenDependency("view sales.people_view", "table hr.people"), script.BrokenDependencies);
    }

    [Fact]
    public async Task Table_globs_select_tables_with_their_keys_and_leave_the_rest()
    {
        var script = await ScriptAsync(TwoSchemas, include: ["sales.order*", "hr"]);
        Assert.Empty(script.BrokenDependencies);
        Assert.Contains(script.Steps, s => s.Kind == SchemaObjectKind.ForeignKey && s.Name == "order_lines_order_id_fkey ON sales.order_lines");
        Assert.DoesNotContain(script.Steps, s => s.Name == "sales.notes");
        Assert.DoesNotContain(script.Steps, s => s.Name == "sales.people_view");
    }

    [Fact]
    public async Task Unknown_schema_is_an_error_that_lists_the_real_ones()
    {
        var ex = await Assert.ThrowsAsync<FilterException>(() => ScriptAsync(TwoSchemas, include: ["sale"]));
        Assert.Contains("no schema in the source matches 'sale'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("hr, public, sales", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_pattern_matching_nothing_is_an_error()
    {
        var ex = await Assert.ThrowsAsync<FilterException>(() => ScriptAsync(TwoSchemas, exclude: ["sales.invoices"]));
        Assert.Contains("--exclude 'sales.invoices': no table, view or sequence", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quoted_names_with_dots_and_spaces_can_be_filtered()
    {
        var script = await ScriptAsync("CREATE SCHEMA \"my.schema\"; CREATE TABLE \"my.schema\".\"Big Table\" (a int); CREATE TABLE public.other (a int);", include: ["\"my.schema\".Big*"]);
        Assert.Contains(script.Steps, s => s.Name == "\"my.schema\".\"Big Table\"");
        Assert.DoesNotContain(script.Steps, s => s.Name == "public.other");
    }

    private static async Task<SchemaScript> ScriptAsync(string sql, string[]? include = null, string[]? exclude = null)
    {
        var catalog = await SourceCatalog.ReadAsync(sql);
        return SchemaScriptBuilder.Build(catalog, CatalogFilter.Create(include, exclude, catalog));
    }
}
