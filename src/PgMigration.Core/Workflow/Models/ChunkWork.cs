using PgMigration.Core.Catalog;

namespace PgMigration.Core.Workflow.Models;

/// <summary>Input of the copy activity: one chunk of one table of a stored plan.</summary>
public sealed record ChunkWork(string MigrationId, string PlanId, string Source, string Target, int TableIndex, QualifiedName Table, int ChunkIndex, int BatchSize);

/// <summary>What one chunk copy moved (this run only; rows copied by earlier runs are in the checkpoints).</summary>
public sealed record ChunkCopied(long Rows, long Bytes);
