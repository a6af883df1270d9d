using System.Text.Json;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// What earlier runs of a migration had committed, per chunk, when this run planned (before any of its own
/// copies started): progress displays mark it as resumed and keep it out of rates and ETAs. Recorded by
/// every run's planning step, so it always describes the latest start. Never holds a secret.
/// </summary>
internal sealed record ResumedWork(IReadOnlyDictionary<string, CopiedVolume> Chunks, DateTimeOffset RecordedAt)
{
    public const string DocumentId = "resumed-work";

    public static readonly ResumedWork None = new(new Dictionary<string, CopiedVolume>(), DateTimeOffset.MinValue);

    /// <summary>Records what the checkpoints hold now as this run's starting point.</summary>
    public static async Task RecordAsync(ICheckpointStore store, CancellationToken cancellationToken = default)
    {
        var committed = (await store.ListChunksAsync(cancellationToken))
            .Where(c => c.Rows > 0 || c.Bytes > 0)
            .ToDictionary(c => c.ChunkId, c => new CopiedVolume(c.Rows, c.Bytes), StringComparer.Ordinal);
        await store.WriteDocumentAsync(DocumentId, JsonSerializer.Serialize(new ResumedWork(committed, DateTimeOffset.UtcNow), JsonOptions), cancellationToken);
    }

    /// <summary>This run's starting point; <see cref="None"/> when none was recorded (a run of an engine before this record).</summary>
    public static async Task<ResumedWork> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default)
    {
        if (await store.ReadDocumentAsync(DocumentId, cancellationToken) is not { } json)
        {
            return None;
        }

        try
        {
            return JsonSerializer.Deserialize<ResumedWork>(json, JsonOptions) ?? None;
        }
        catch (JsonException)
        {
            // Only a display depends on it: every row is then shown as copied by this run.
            return None;
        }
    }

    /// <summary>
    /// Whether this describes the run that started at <paramref name="startedAt"/>. One recorded before it is an
    /// earlier run's: this run has not planned yet, so none of the committed rows are its own.
    /// </summary>
    public bool IsOf(DateTimeOffset? startedAt) => startedAt is not { } start || RecordedAt >= start;

    /// <summary>What of <paramref name="chunkId"/> an earlier run committed.</summary>
    public CopiedVolume Of(string chunkId) => Chunks.GetValueOrDefault(chunkId) ?? new CopiedVolume(0, 0);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { TypeInfoResolver = Workflow.PrecompiledJson.Resolver };
}
