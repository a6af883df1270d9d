namespace PgMigration.Core.Api;

/// <summary>The body of <c>GET /api/health</c>: 200 when every check passed, 503 otherwise.</summary>
internal sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheckResult> Checks);

/// <summary>One dependency: storage or a named connection. <see cref="Detail"/> never holds a secret.</summary>
internal sealed record HealthCheckResult(string Name, bool Healthy, string Detail, long Milliseconds);
