using System.Collections.Concurrent;

namespace PgMigration.Core.Checkpoints;

/// <summary>
/// The embedded default: one JSON file per chunk under <c>DIR/chunks</c>, documents under
/// <c>DIR/documents</c>, batches in flight under <c>DIR/streaming</c>. Each write goes to a temporary file that is then renamed over the old one, so
/// a kill at any moment leaves either the old or the new checkpoint, never a torn one.
/// </summary>
internal sealed class FolderCheckpointStore : ICheckpointStore
{
    private readonly string _chunks;
    private readonly string _documents;
    private readonly string _streaming;
    // Shared by every store in the process: two stores on one folder must not interleave read-compare-write.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public FolderCheckpointStore(string directory)
    {
        Location = Path.GetFullPath(directory);
        _chunks = Path.Combine(Location, "chunks");
        _documents = Path.Combine(Location, "documents");
        _streaming = Path.Combine(Location, "streaming");

        // The folders are created by the first write, so a run refused before it leaves no trace here.
        var existing = Location;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            if (File.Exists(existing))
            {
                throw Unusable(new IOException($"{existing} is a file, not a folder."));
            }

            existing = parent;
        }
    }

    public string Location { get; }

    public async Task<ChunkCheckpoint?> ReadChunkAsync(string chunkId, CancellationToken cancellationToken = default)
    {
        var path = ChunkPath(chunkId);
        return File.Exists(path) ? CheckpointJson.Deserialize(await File.ReadAllTextAsync(path, cancellationToken), path) : null;
    }

    public async Task<bool> WriteChunkAsync(ChunkCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        var gate = Locks.GetOrAdd(ChunkPath(checkpoint.ChunkId), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadChunkAsync(checkpoint.ChunkId, cancellationToken);
            if (!checkpoint.IsAhead(current))
            {
                return false;
            }

            await WriteAtomicallyAsync(ChunkPath(checkpoint.ChunkId), CheckpointJson.Serialize(checkpoint), cancellationToken);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IReadOnlyList<ChunkCheckpoint>> ListChunksAsync(CancellationToken cancellationToken = default)
    {
        var checkpoints = new List<ChunkCheckpoint>();
        if (!Directory.Exists(_chunks))
        {
            return checkpoints;
        }

        foreach (var path in Directory.EnumerateFiles(_chunks, "*.json").Order(StringComparer.Ordinal))
        {
            checkpoints.Add(CheckpointJson.Deserialize(await File.ReadAllTextAsync(path, cancellationToken), path));
        }

        return checkpoints;
    }

    // Not flushed to disk: a display record that a crash loses is only one to ignore, and an fsync every few
    // seconds per running chunk would cost the copies beside it.
    public Task WriteStreamedAsync(StreamedBatch streamed, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync(StreamedPath(streamed.ChunkId), CheckpointJson.Serialize(streamed), cancellationToken, durable: false);

    public Task DeleteStreamedAsync(string chunkId, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(_streaming))
        {
            File.Delete(StreamedPath(chunkId));
        }

        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<StreamedBatch>> ListStreamedAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<StreamedBatch>();
        if (!Directory.Exists(_streaming))
        {
            return records;
        }

        foreach (var path in Directory.EnumerateFiles(_streaming, "*.json"))
        {
            try
            {
                if (CheckpointJson.DeserializeStreamed(await File.ReadAllTextAsync(path, cancellationToken)) is { } streamed)
                {
                    records.Add(streamed);
                }
            }
            catch (FileNotFoundException)
            {
                // Its chunk finished between the listing and the read.
            }
        }

        return records;
    }

    public Task DeleteChunksAsync(CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(_chunks))
        {
            foreach (var path in Directory.EnumerateFiles(_chunks, "*.json"))
            {
                File.Delete(path);
            }
        }

        return Task.CompletedTask;
    }

    public async Task<string?> ReadDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(_documents, CheckpointJson.SafeName(id));
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    public Task WriteDocumentAsync(string id, string content, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync(Path.Combine(_documents, CheckpointJson.SafeName(id)), content, cancellationToken);

    public Task DeleteDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_documents))
        {
            return Task.CompletedTask;
        }

        File.Delete(Path.Combine(_documents, CheckpointJson.SafeName(id)));
        return Task.CompletedTask;
    }

    private string ChunkPath(string chunkId) => Path.Combine(_chunks, CheckpointJson.SafeName(chunkId) + ".json");

    private string StreamedPath(string chunkId) => Path.Combine(_streaming, CheckpointJson.SafeName(chunkId) + ".json");

    private CheckpointStorageException Unusable(Exception ex) =>
        new($"The checkpoint folder {Location} cannot be used: {ex.Message} Point the checkpoints at a folder this user can create and write.", ex);

    private async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken, bool durable = true)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(ex);
        }

        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, durable ? FileOptions.WriteThrough : FileOptions.None))
        {
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
            await writer.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: durable);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
