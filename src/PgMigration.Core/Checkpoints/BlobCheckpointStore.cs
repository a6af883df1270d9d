using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace PgMigration.Core.Checkpoints;

/// <summary>
/// Checkpoints as blobs: <c>{prefix}chunks/{id}.json</c> and <c>{prefix}documents/{id}</c>, batches in
/// flight as <c>{prefix}streaming/{id}.json</c>. Every chunk
/// write is conditional on the ETag it read (or on the blob not existing), so two copies of the same
/// activity racing each other can never move a checkpoint backwards: the loser re-reads and stops.
/// </summary>
internal sealed class BlobCheckpointStore(BlobContainerClient container, string prefix = "") : ICheckpointStore
{
    private readonly string _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
    private bool _containerEnsured;

    public string Location => $"{container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{_prefix}";

    public async Task<ChunkCheckpoint?> ReadChunkAsync(string chunkId, CancellationToken cancellationToken = default) =>
        (await ReadWithETagAsync(ChunkBlob(chunkId), cancellationToken)).Checkpoint;

    public async Task<bool> WriteChunkAsync(ChunkCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var blob = ChunkBlob(checkpoint.ChunkId);
        while (true)
        {
            var (current, etag) = await ReadWithETagAsync(blob, cancellationToken);
            if (!checkpoint.IsAhead(current))
            {
                return false;
            }

            var conditions = etag is { } known ? new BlobRequestConditions { IfMatch = known } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromString(CheckpointJson.Serialize(checkpoint)),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                // The container went away under us (storage restored, emulator restarted): make it again.
                await RecreateContainerAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone else wrote in between: read theirs and decide again.
            }
        }
    }

    public async Task<IReadOnlyList<ChunkCheckpoint>> ListChunksAsync(CancellationToken cancellationToken = default)
    {
        var checkpoints = new List<ChunkCheckpoint>();
        if (!await container.ExistsAsync(cancellationToken))
        {
            return checkpoints;
        }

        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix + "chunks/" }, cancellationToken))
        {
            var content = await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken);
            checkpoints.Add(CheckpointJson.Deserialize(content.Value.Content.ToString(), item.Name));
        }

        return checkpoints;
    }

    public async Task WriteStreamedAsync(StreamedBatch streamed, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var content = BinaryData.FromString(CheckpointJson.Serialize(streamed));
        try
        {
            await StreamedBlob(streamed.ChunkId).UploadAsync(content, overwrite: true, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await RecreateContainerAsync(cancellationToken);
            await StreamedBlob(streamed.ChunkId).UploadAsync(content, overwrite: true, cancellationToken);
        }
    }

    public async Task DeleteStreamedAsync(string chunkId, CancellationToken cancellationToken = default)
    {
        try
        {
            await StreamedBlob(chunkId).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container: nothing to delete.
        }
    }

    public async Task<IReadOnlyList<StreamedBatch>> ListStreamedAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<StreamedBatch>();
        if (!await container.ExistsAsync(cancellationToken))
        {
            return records;
        }

        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix + "streaming/" }, cancellationToken))
        {
            try
            {
                var content = await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken);
                if (CheckpointJson.DeserializeStreamed(content.Value.Content.ToString()) is { } streamed)
                {
                    records.Add(streamed);
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Its chunk finished between the listing and the read.
            }
        }

        return records;
    }

    public async Task DeleteChunksAsync(CancellationToken cancellationToken = default)
    {
        if (!await container.ExistsAsync(cancellationToken))
        {
            return;
        }

        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix + "chunks/" }, cancellationToken))
        {
            await container.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    public async Task<string?> ReadDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await DocumentBlob(id).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteDocumentAsync(string id, string content, CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await DocumentBlob(id).UploadAsync(BinaryData.FromString(content), overwrite: true, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await RecreateContainerAsync(cancellationToken);
            await DocumentBlob(id).UploadAsync(BinaryData.FromString(content), overwrite: true, cancellationToken);
        }
    }

    public async Task DeleteDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            await DocumentBlob(id).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet: nothing to delete.
        }
    }

    private BlobClient ChunkBlob(string chunkId) => container.GetBlobClient($"{_prefix}chunks/{CheckpointJson.SafeName(chunkId)}.json");

    private BlobClient StreamedBlob(string chunkId) => container.GetBlobClient($"{_prefix}streaming/{CheckpointJson.SafeName(chunkId)}.json");

    private BlobClient DocumentBlob(string id) => container.GetBlobClient($"{_prefix}documents/{CheckpointJson.SafeName(id)}");

    private static async Task<(ChunkCheckpoint? Checkpoint, ETag? ETag)> ReadWithETagAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return (CheckpointJson.Deserialize(content.Value.Content.ToString(), blob.Name), content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }

    private async Task RecreateContainerAsync(CancellationToken cancellationToken)
    {
        _containerEnsured = false;
        await EnsureContainerAsync(cancellationToken);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerEnsured)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerEnsured = true;
        }
    }
}
