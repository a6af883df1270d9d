using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace PgMigration.Core.Checkpoints;

/// <summary>Turns <c>--checkpoints DIR|BLOB-CONTAINER-URL</c> into a store.</summary>
public static class CheckpointStoreFactory
{
    /// <summary>
    /// Shared-key connection string for the blob service (Azurite, or accounts without Entra ID); when
    /// absent, blob URLs sign in with Azure.Identity.
    /// </summary>
    public const string StorageConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>
    /// A folder path, or a container URL with an optional prefix:
    /// <c>https://account.blob.core.windows.net/container/some/prefix</c>
    /// (Azurite: <c>http://127.0.0.1:10000/devstoreaccount1/container</c>).
    /// </summary>
    public static ICheckpointStore Create(string location, TokenCredential? credential = null, string? storageConnectionString = null)
    {
        if (!location.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !location.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return new FolderCheckpointStore(location);
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException(
                $"'{uri?.GetLeftPart(UriPartial.Path) ?? "the checkpoint URL"}' is not a blob container URL without a query. " +
                $"Use https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX]; put a shared key in {StorageConnectionStringVariable}, never a SAS in the URL.");
        }

        var parts = new BlobUriBuilder(uri);
        if (string.IsNullOrEmpty(parts.BlobContainerName))
        {
            throw new ArgumentException($"'{uri}' names no container. Use https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX].");
        }

        storageConnectionString ??= Environment.GetEnvironmentVariable(StorageConnectionStringVariable);
        var container = string.IsNullOrEmpty(storageConnectionString)
            ? new BlobContainerClient(
                new BlobUriBuilder(uri) { BlobName = string.Empty }.ToUri(),
                credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
                }))
            : new BlobContainerClient(storageConnectionString, parts.BlobContainerName);
        return new BlobCheckpointStore(container, parts.BlobName ?? string.Empty);
    }
}
