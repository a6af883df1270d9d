namespace PgMigration.Core.Api;

/// <summary>The 202 body of <c>POST /api/migrations</c>: the id and where to poll or cancel.</summary>
internal sealed record MigrationAccepted(string Id, string StatusQueryGetUri, string CancelPostUri, bool Resumed);
