using PgMigration.Core.Catalog;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// Input of the activity for a batch of tiny tables of a stored plan, each copied in one chunk: their
/// positions and names, and the steps of post-data group <see cref="IndexGroup"/> that key and index them.
/// The DDL and the chunks stay in the checkpoint store.
/// </summary>
public sealed record SmallTablesWork(string MigrationId, string PlanId, string Source, string Target, int BatchSize, int IndexGroup, IReadOnlyList<SmallTable> Tables);

/// <summary>One table of a <see cref="SmallTablesWork"/>, by its position in the stored plan.</summary>
public sealed record SmallTable(int TableIndex, QualifiedName Table, IReadOnlyList<int> IndexSteps);
