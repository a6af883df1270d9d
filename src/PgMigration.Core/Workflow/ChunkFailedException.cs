using PgMigration.Core.Copy;

namespace PgMigration.Core.Workflow;

/// <summary>
/// A chunk that failed for good, as the workflow reports it: the table, the chunk, the cause and the SQL,
/// without the command line's advice that <see cref="ChunkCopyException"/> ends with, since each host
/// words its own. The copy's exception stays inner, for the retry policy to judge.
/// </summary>
internal sealed class ChunkFailedException(ChunkCopyException failure)
    : Exception($"Copying {failure.Chunk.Describe()} failed: {failure.InnerException?.Message}{Environment.NewLine}SQL: {failure.Sql}", failure);
