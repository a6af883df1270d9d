namespace PgMigration.Core.Api;

/// <summary>The body of a 202 to <c>POST /api/migrations/{id}/cutover</c>.</summary>
public sealed record CutoverRequested(string Id, bool LockSource);
