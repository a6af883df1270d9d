namespace PgMigration.Core.Api;

/// <summary>The 202 body of <c>POST /api/migrations</c>: the id and where to poll or cancel.</summary>
public sealed record MigrationAccepted(string Id, string StatusQueryGetUri, string CancelPostUri, bool Resumed);
