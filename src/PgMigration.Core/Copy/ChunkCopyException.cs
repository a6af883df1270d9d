namespace PgMigration.Core.Copy;

/// <summary>A chunk failed for good: names the table, the chunk and the statement, never a connection secret.</summary>
public sealed class ChunkCopyException(CopyChunk chunk, string sql, Exception inner)
    : Exception($"Copying {chunk.Describe()} failed: {inner.Message}{Environment.NewLine}SQL: {sql}{Environment.NewLine}" +
                "Fix the cause and run the same command again: finished batches are kept and the copy resumes from the last checkpoint.", inner)
{
    public CopyChunk Chunk { get; } = chunk;

    public string Sql { get; } = sql;
}
