using System.Text.Json.Serialization;

namespace PgMigration.Core.Checkpoints;

/// <summary>Serialization code for checkpoints, generated at compile time (see <c>PrecompiledJson</c> for why).</summary>
[JsonSerializable(typeof(ChunkCheckpoint))]
[JsonSerializable(typeof(StreamedBatch))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
