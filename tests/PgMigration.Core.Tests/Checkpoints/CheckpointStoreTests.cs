using Azure.Storage.Blobs;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Checkpoints;

public class CheckpointStoreTests
{
    public static TheoryData<string> Stores => ["folder", "blob"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_checkpoint_never_moves_backwards(string kind)
    {
        var store = CreateStore(kind);
        Assert.Null(await store.ReadChunkAsync("t0000-c00000"));

        Assert.True(await store.WriteChunkAsync(Checkpoint(sequence: 2, rows: 200)));
        Assert.False(await store.WriteChunkAsync(Checkpoint(sequence: 1, rows: 100)));
        Assert.False(await store.WriteChunkAsync(Checkpoint(sequence: 2, rows: 999)));
        Assert.True(await store.WriteChunkAsync(Checkpoint(sequence: 3, rows: 300, done: true)));
        Assert.False(await store.WriteChunkAsync(Checkpoint(sequence: 9, rows: 900)));

        var stored = await store.ReadChunkAsync("t0000-c00000");
        Assert.Equal(300, stored!.Rows);
        Assert.True(stored.Done);
        Assert.Equal(["t0000-c00000"], (await store.ListChunksAsync()).Select(c => c.ChunkId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Racing_writers_leave_the_furthest_checkpoint(string kind)
    {
        var location = Location(kind);
        var writers = Enumerable.Range(0, 4).Select(_ => CreateStore(kind, location)).ToList();

        // Four writers (as four copies of one activity would) write interleaved sequences at once.
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            for (var sequence = 40 - w; sequence >= 1; sequence -= 4)
            {
                await store.WriteChunkAsync(Checkpoint(sequence, rows: sequence * 10));
            }
        })));

        var stored = await CreateStore(kind, location).ReadChunkAsync("t0000-c00000");
        Assert.Equal(40, stored!.Sequence);
        Assert.Equal(400, stored.Rows);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Documents_are_stored_by_id(string kind)
    {
        var store = CreateStore(kind);
        Assert.Null(await store.ReadDocumentAsync("data-plan"));

        await store.WriteDocumentAsync("data-plan", "{\"first\":1}");
        await store.WriteDocumentAsync("data-plan", "{\"second\":2}");

        Assert.Equal("{\"second\":2}", await store.ReadDocumentAsync("data-plan"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteDocumentAsync("../escape", "x"));
    }

    [Fact]
    public void A_container_url_makes_a_blob_store_and_a_path_a_folder_store()
    {
        var blob = CheckpointStoreFactory.Create($"{Azurite.Endpoint}/migrations/run-1", storageConnectionString: Azurite.ConnectionString);
        var folder = CheckpointStoreFactory.Create(Path.Combine(Path.GetTempPath(), $"pgmigrate-{Guid.NewGuid():N}"));

        Assert.IsType<BlobCheckpointStore>(blob);
        Assert.EndsWith("/migrations/run-1/", blob.Location, StringComparison.Ordinal);
        Assert.IsType<FolderCheckpointStore>(folder);
        var error = Assert.Throws<ArgumentException>(() => CheckpointStoreFactory.Create($"{Azurite.Endpoint}/c?sig=secret"));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    private static ChunkCheckpoint Checkpoint(long sequence, long rows, bool done = false) => new()
    {
        ChunkId = "t0000-c00000", Table = new QualifiedName("public", "orders"), Sequence = sequence, LastKey = [rows.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        Rows = rows, Bytes = rows * 10, Done = done,
    };

    [Fact]
    public async Task A_blob_container_lost_while_a_migration_runs_is_made_again_on_the_next_write()
    {
        var name = Location("blob");
        var store = CreateStore("blob", name);
        await store.WriteChunkAsync(Checkpoint(1, 100, done: false));
        await store.WriteDocumentAsync("plan", "first");

        await new BlobContainerClient(Azurite.ConnectionString, name).DeleteAsync();
        // Azurite answers 409 while a deleted container is being removed: wait until it is gone.
        for (var attempt = 0; attempt < 50 && await new BlobContainerClient(Azurite.ConnectionString, name).ExistsAsync(); attempt++)
        {
            await Task.Delay(100);
        }

        Assert.True(await store.WriteChunkAsync(Checkpoint(2, 200, done: true)));
        await store.WriteDocumentAsync("plan", "again");
        Assert.Equal(200, (await store.ReadChunkAsync("t0000-c00000"))!.Rows);
        Assert.Equal("again", await store.ReadDocumentAsync("plan"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_batch_in_flight_has_one_record_per_chunk_that_the_last_write_replaces_and_a_delete_removes(string kind)
    {
        var store = CreateStore(kind);
        Assert.Empty(await store.ListStreamedAsync());
        var now = DateTimeOffset.UtcNow;

        await store.WriteStreamedAsync(new StreamedBatch { ChunkId = "t0000-c00000", AfterSequence = 0, Rows = 10, Bytes = 100, UpdatedAt = now });
        await store.WriteStreamedAsync(new StreamedBatch { ChunkId = "t0000-c00000", AfterSequence = 0, Rows = 20, Bytes = 200, UpdatedAt = now });
        await store.WriteStreamedAsync(new StreamedBatch { ChunkId = "t0001-c00000", AfterSequence = 3, Rows = 5, Bytes = 50, UpdatedAt = now });

        var listed = (await store.ListStreamedAsync()).OrderBy(s => s.ChunkId, StringComparer.Ordinal).ToList();
        Assert.Equal([("t0000-c00000", 0L, 20L, 200L), ("t0001-c00000", 3L, 5L, 50L)], listed.Select(s => (s.ChunkId, s.AfterSequence, s.Rows, s.Bytes)));
        Assert.Empty(await store.ListChunksAsync());

        await store.DeleteStreamedAsync("t0000-c00000");
        await store.DeleteStreamedAsync("t0000-c00000");
        Assert.Equal(["t0001-c00000"], (await store.ListStreamedAsync()).Select(s => s.ChunkId));
    }

    [Fact]
    public void A_batch_in_flight_counts_only_on_the_checkpoint_it_started_from_and_while_it_is_refreshed()
    {
        var now = DateTimeOffset.UtcNow;
        var streamed = new StreamedBatch { ChunkId = "t0000-c00000", AfterSequence = 2, Rows = 10, UpdatedAt = now };

        Assert.True(streamed.IsCurrent(Checkpoint(sequence: 2, rows: 200), now));
        Assert.False(streamed.IsCurrent(null, now));
        Assert.False(streamed.IsCurrent(Checkpoint(sequence: 3, rows: 300), now));
        Assert.False(streamed.IsCurrent(Checkpoint(sequence: 2, rows: 200, done: true), now));
        Assert.False(streamed.IsCurrent(Checkpoint(sequence: 2, rows: 200), now + StreamedBatch.StaleAfter));
    }

    private static string Location(string kind) => kind == "folder"
        ? Path.Combine(Path.GetTempPath(), $"pgmigrate-checkpoints-{Guid.NewGuid():N}")
        : $"c{Guid.NewGuid():N}";

    private static ICheckpointStore CreateStore(string kind, string? location = null)
    {
        location ??= Location(kind);
        if (kind == "folder")
        {
            return new FolderCheckpointStore(location);
        }

        var container = new BlobContainerClient(Azurite.ConnectionString, location);
        return new BlobCheckpointStore(container, "migration-1");
    }
}
