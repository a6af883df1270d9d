using System.Text.Json;
using System.Text.Json.Serialization;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>
/// Plans and checkpoints written by an earlier build must still be read after an upgrade, so the
/// compile-time JSON code has to write exactly what reflection wrote, and read it back unchanged.
/// </summary>
public class PrecompiledJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Stored_plans_of_a_real_catalog_are_written_as_reflection_wrote_them()
    {
        await using var source = await Fixtures.CreateFidelityDatabaseAsync("json", withData: true);
        await source.ExecuteAsync("CREATE TABLE public.json_keyed (id int PRIMARY KEY, note text); INSERT INTO public.json_keyed SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g; ANALYZE public.json_keyed;");
        await using var data = Npgsql.NpgsqlDataSource.Create(source.ConnectionString);
        var catalog = await new CatalogReader(data).ReadAsync();
        var filter = CatalogFilter.Create([], [], catalog);
        var schema = SchemaPlanBuilder.Build(catalog, filter, SchemaScriptBuilder.Build(catalog, filter), MigrationMode.All, skipExisting: false);
        var store = new FolderCheckpointStore(Path.Combine(Path.GetTempPath(), $"pgmigrate-json-{Guid.NewGuid():N}"));
        var dataPlan = await new DataPlanner(data, store, DataPlannerOptions.ForPlanning(filter, 1, workers: 2)).CreatePlanAsync("json");
        Assert.Contains(dataPlan.Chunks, c => c.LowerKey is not null);

        await SchemaPlanBuilder.StoreOnceAsync(store, () => schema);
        var storedSchema = (await store.ReadDocumentAsync(SchemaPlan.DocumentId))!;
        Assert.Equal(JsonSerializer.Serialize(schema, Reflection), storedSchema);
        Assert.Equal(storedSchema, JsonSerializer.Serialize((await SchemaPlanBuilder.ReadAsync(store))!, Reflection));

        Assert.Equal(JsonSerializer.Serialize(dataPlan, Reflection), dataPlan.ToJson());
        Assert.Equal(dataPlan.ToJson(), DataPlan.FromJson(dataPlan.ToJson()).ToJson());
        Directory.Delete(store.Location, recursive: true);
    }

    [Fact]
    public void Checkpoints_and_workflow_messages_are_written_as_reflection_wrote_them()
    {
        var checkpoint = new ChunkCheckpoint { ChunkId = "t0001-c00002", Table = new QualifiedName("public", "orders"), Sequence = 3, LastKey = ["42", "2024-01-01"], Rows = 7, Bytes = 900 };
        Assert.Equal(JsonSerializer.Serialize(checkpoint, new JsonSerializerOptions(Reflection) { WriteIndented = true }), CheckpointJson.Serialize(checkpoint));
        Assert.Equal(checkpoint with { LastKey = null }, CheckpointJson.Deserialize(CheckpointJson.Serialize(checkpoint with { LastKey = null }), "test"));

        var workflowReflection = new JsonSerializerOptions(Reflection);
        workflowReflection.Converters.Add(new JsonStringEnumConverter());
        var table = new PlannedTable(1, new QualifiedName("public", "orders"), 10, 1000, 3) { IndexSteps = [0, 2], ForeignKeys = [new PlannedForeignKey(4, 0)] };
        object[] messages =
        [
            new MigrationInput { Id = "m", Source = "source", Target = "target", Mode = MigrationMode.Data, Include = ["public.*"] },
            new PlanSummary("plan", [table], 3, [2, 1]) { IndexGroup = 0 },
            new TableCopyWork("m", "plan", "source", "target", table, 5000, 2),
            new WorkflowProgress(MigrationPhase.Data, 1, 4),
            new MigrationOutcome("plan", 1, 10, 1000, 1) { Verified = [new TableVerified(new QualifiedName("public", "orders"), true, 10, 10, "equal")] },
        ];
        foreach (var message in messages)
        {
            // Generated code, not reflection: that is the point of it.
            Assert.IsType<PrecompiledJson>(WorkflowJson.Options.GetTypeInfo(message.GetType()).OriginatingResolver);
            var json = WorkflowJson.Serialize(message);
            Assert.Equal(JsonSerializer.Serialize(message, message.GetType(), workflowReflection), json);
            Assert.Equal(json, WorkflowJson.Serialize(JsonSerializer.Deserialize(json, message.GetType(), WorkflowJson.Options)));
        }
    }
}
