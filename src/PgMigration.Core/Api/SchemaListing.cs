namespace PgMigration.Core.Api;

/// <summary>The body of <c>GET /api/connections/{name}/schemas</c>.</summary>
internal sealed record SchemaListing(string Connection, string Server, IReadOnlyList<SchemaSummary> Schemas);

internal sealed record SchemaSummary(string Name, long TotalBytes, IReadOnlyList<TableSummary> Tables);

/// <summary>
/// One table as the planner will see it. <see cref="EstimatedRows"/> is the planner statistic
/// (null when the table was never analyzed); <see cref="PartitionOf"/> names the parent of a partition.
/// </summary>
internal sealed record TableSummary(string Name, string Kind, long? EstimatedRows, long TotalBytes, string? PartitionOf);
