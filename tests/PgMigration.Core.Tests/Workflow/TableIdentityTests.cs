using PgMigration.Core.Api;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>
/// A table is its schema and name, not a text made of them: tables whose "schema.name" reads alike, and
/// names that differ only in case, are copied, checkpointed, verified and reported each as itself, and the
/// large objects are a kind of their own beside them.
/// </summary>
public class TableIdentityTests
{
    // x."a.b" and "x.a".b are both "x.a.b" when written without quotes; "Orders" and orders differ only in case.
    private static readonly Dictionary<QualifiedName, long> Rows = new()
    {
        [new QualifiedName("x", "a.b")] = 100,
        [new QualifiedName("x.a", "b")] = 200,
        [new QualifiedName("public", "Orders")] = 300,
        [new QualifiedName("public", "orders")] = 400,
    };

    [Fact]
    public async Task Tables_whose_names_read_alike_are_copied_checkpointed_verified_and_reported_each_as_itself()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("tableidsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("tableidtgt");
        await source.ExecuteAsync("""
            CREATE SCHEMA x;
            CREATE SCHEMA "x.a";
            CREATE TABLE x."a.b" (id int PRIMARY KEY, note text NOT NULL);
            CREATE TABLE "x.a".b (id int PRIMARY KEY, note text NOT NULL);
            CREATE TABLE public."Orders" (id int PRIMARY KEY, note text NOT NULL, pad text);
            CREATE TABLE public.orders (id int PRIMARY KEY, note text NOT NULL, pad text);
            ALTER TABLE public."Orders" ALTER pad SET STORAGE EXTERNAL;
            ALTER TABLE public.orders ALTER pad SET STORAGE EXTERNAL;
            CREATE INDEX ON x."a.b" (note);
            CREATE INDEX ON "x.a".b (note);
            CREATE INDEX ON public."Orders" (note);
            CREATE INDEX ON public.orders (note);
            INSERT INTO x."a.b" SELECT g, 'x."a.b" ' || g FROM generate_series(1, 100) g;
            INSERT INTO "x.a".b SELECT g, '"x.a".b ' || g FROM generate_series(1, 200) g;
            INSERT INTO public."Orders" SELECT g, 'Orders ' || g, repeat('p', 4000) FROM generate_series(1, 300) g;
            INSERT INTO public.orders SELECT g, 'orders ' || g, repeat('p', 4000) FROM generate_series(1, 400) g;
            SELECT lo_from_bytea(0, 'a large object');
            ANALYZE;
            """);
        var checkpoints = Path.Combine(Path.GetTempPath(), $"pgmigrate-tableid-{Guid.NewGuid():N}");
        var statuses = new List<WorkflowProgress>();

        var outcome = await InProcessMigration.RunAsync(
            source, target, new MigrationInput { Id = "tableid", Source = "source", Target = "target", Mode = MigrationMode.All, Parallelism = 2 }, checkpointsLocation: checkpoints, onStatus: statuses.Add);

        // Verified: one line per table, with its own counts, and the large objects as large objects.
        var verified = outcome.Verified.Where(v => v.Kind == DataKind.Table).ToDictionary(v => v.Table, v => (v.SourceRows, v.TargetRows));
        Assert.Equal(Rows.ToDictionary(r => r.Key, r => (r.Value, r.Value)), verified);
        var largeObjects = Assert.Single(outcome.Verified, v => v.Kind == DataKind.LargeObjects);
        Assert.Equal((1L, 1L), (largeObjects.SourceRows, largeObjects.TargetRows));
        foreach (var (table, rows) in Rows)
        {
            Assert.Equal(rows, await target.ScalarAsync<long>($"SELECT count(*) FROM {table.Sql} WHERE note LIKE {SqlText.Literal(Label(table) + " %")}"));
        }

        // Checkpoints: each table's chunks hold its rows.
        var store = CheckpointStoreFactory.Create($"{checkpoints}/tableid");
        var chunks = await store.ListChunksAsync();
        Assert.Equal(Rows, chunks.Where(c => c.Table != LargeObjectPlan.Table).GroupBy(c => c.Table).ToDictionary(g => g.Key, g => g.Sum(c => c.Rows)));

        // Progress: a line per table, shown as it is written in SQL, and one for the large objects.
        var progress = await new CheckpointProgressReader(_ => store).ReadAsync("tableid", null);
        Assert.Equal(Rows, progress.Where(p => p.Kind == DataKind.Table).ToDictionary(p => p.Id, p => p.RowsCopied));
        Assert.Equal(
            ["\"x.a\".b", "public.\"Orders\"", "public.orders", "x.\"a.b\""],
            progress.Where(p => p.Kind == DataKind.Table).Select(p => p.DisplayName).Order(StringComparer.Ordinal));
        Assert.Equal((LargeObjectPlan.Table, 1L), progress.Where(p => p.Kind == DataKind.LargeObjects).Select(p => (p.Id, p.RowsCopied)).Single());

        // The status names each table's index build, ANALYZE and verification apart: the tables of over a megabyte
        // (padded out of line), which get an activity for each; the tiny x."a.b" and "x.a".b are each done by one.
        var running = statuses.SelectMany(s => s.Running).ToList();
        foreach (var kind in new[] { WorkKind.Index, WorkKind.Analyze, WorkKind.Verify })
        {
            Assert.Equal([new QualifiedName("public", "Orders"), new QualifiedName("public", "orders")], running.Where(w => w.Kind == kind).Select(w => w.Table).ToHashSet());
        }

        Assert.Contains(running, w => w is { Kind: WorkKind.VerifyLargeObjects, Name: "lo-00000" });
    }

    private static string Label(QualifiedName table) => table.Schema == "public" ? table.Name : table.Sql;
}
