using System.Globalization;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Api;

/// <summary>Proves the checkpoint storage works the way migrations use it: a document written and read back.</summary>
internal sealed class CheckpointStorageProbe(Func<ICheckpointStore> store) : IStorageProbe
{
    private const string ProbeDocument = "health-probe";

    public async Task<string> CheckAsync(CancellationToken cancellationToken = default)
    {
        var checkpoints = store();
        var written = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await checkpoints.WriteDocumentAsync(ProbeDocument, written, cancellationToken);
        var read = await checkpoints.ReadDocumentAsync(ProbeDocument, cancellationToken);
        return read == written
            ? $"checkpoints at {checkpoints.Location} are writable"
            : throw new IOException($"A document written to {checkpoints.Location} did not read back the same; check the storage account or folder.");
    }
}
