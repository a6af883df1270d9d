using PgMigration.Core.Catalog;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests;

/// <summary>
/// pg_catalog's single-letter codes become enums in one place; a letter pgmigrate does not know stops the
/// catalog read with the column, the value and what to do, instead of being read as a default.
/// </summary>
public class CatalogCodeTests
{
    [Fact]
    public async Task An_unknown_letter_in_a_real_catalog_stops_the_read_naming_the_column_the_value_and_how_to_find_the_object()
    {
        // A superuser may write to pg_trigger: the closest a test server comes to one that writes a letter of its own.
        var error = await Assert.ThrowsAsync<CatalogReadException>(() => SourceCatalog.ReadAsync(
            "CREATE TABLE public.t (a int);" +
            "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';" +
            "CREATE TRIGGER tr BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.f();" +
            "UPDATE pg_catalog.pg_trigger SET tgenabled = 'X' WHERE tgname = 'tr';"));

        Assert.IsType<UnknownCatalogCodeException>(error.InnerException);
        Assert.Contains("pg_trigger.tgenabled holds 'X'", error.Message, StringComparison.Ordinal);
        Assert.Contains("SELECT * FROM pg_trigger WHERE tgenabled = 'X'", error.Message, StringComparison.Ordinal);
        // The test server's version is one pgmigrate knows: the message does not blame a newer server.
        Assert.Contains("does not write that value", error.Message, StringComparison.Ordinal);
        Assert.False(WorkflowRetryPolicy.CanHelp(error), "No retry reads another letter.");
    }

    [Fact]
    public void On_a_server_newer_than_pgmigrate_knows_the_message_says_so_and_asks_for_a_release_that_supports_it()
    {
        var unknown = Assert.Throws<UnknownCatalogCodeException>(() => CatalogCodes.ConstraintTypeOf("z"));

        var message = unknown.Explain(new ServerInfo(190002, "19.2", "app", "UTF8"));

        Assert.Contains("pg_constraint.contype holds 'z'", message, StringComparison.Ordinal);
        Assert.Contains($"PostgreSQL 19.2, newer than this pgmigrate knows (PostgreSQL 11 to {CatalogCodes.NewestKnownMajorVersion})", message, StringComparison.Ordinal);
        Assert.Contains("Use a pgmigrate release that supports PostgreSQL 19", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mapping_refuses_a_letter_it_does_not_know_and_names_its_column()
    {
        var mappings = new (string Column, Action<string> Map)[]
        {
            ("pg_class.relreplident", c => CatalogCodes.ReplicaIdentityOf(c)),
            ("pg_attribute.attidentity", c => CatalogCodes.IdentityGenerationOf(c)),
            ("pg_constraint.contype", c => CatalogCodes.ConstraintTypeOf(c)),
            ("pg_rewrite.ev_enabled", c => CatalogCodes.FiringModeOf(c, "pg_rewrite.ev_enabled")),
            ("pg_proc.prokind", c => CatalogCodes.RoutineKindOf(c)),
            ("pg_aggregate.aggkind", c => CatalogCodes.AggregateKindOf(c)),
            ("pg_cast.castmethod", c => CatalogCodes.CastMethodOf(c)),
            ("pg_cast.castcontext", c => CatalogCodes.CastContextOf(c)),
            ("pg_collation.collprovider", c => CatalogCodes.CollationProviderOf(c)),
            ("pg_policy.polcmd", c => CatalogCodes.PolicyCommandOf(c)),
            ("pg_type.typtype", c => CatalogCodes.TypeKindOf(c)),
        };

        foreach (var (column, map) in mappings)
        {
            var unknown = Assert.Throws<UnknownCatalogCodeException>(() => map("?"));
            Assert.Equal(column, unknown.Column);
            Assert.Contains($"{column} holds '?'", unknown.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_empty_attidentity_is_no_identity_and_the_two_letters_are_its_two_kinds()
    {
        Assert.Null(CatalogCodes.IdentityGenerationOf(string.Empty));
        Assert.Equal(IdentityGeneration.Always, CatalogCodes.IdentityGenerationOf("a"));
        Assert.Equal(IdentityGeneration.ByDefault, CatalogCodes.IdentityGenerationOf("d"));
    }
}
