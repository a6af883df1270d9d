namespace PgMigration.Core.Copy;

/// <summary>Rows and bytes one committed batch added (or, when resuming, a chunk already held).</summary>
public sealed record ChunkProgress(CopyChunk Chunk, long Rows, long Bytes, bool ChunkDone);
