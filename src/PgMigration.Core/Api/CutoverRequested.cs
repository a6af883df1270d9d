namespace PgMigration.Core.Api;

/// <summary>The body of a 202 to <c>POST /api/migrations/{id}/cutover</c>.</summary>
internal sealed record CutoverRequested(string Id, bool LockSource);
