namespace PgMigration.Core.Api;

/// <summary>
/// The body of a request as the HTTP edge read it: its JSON text, or the problem (415, 413) that refuses
/// it before anything parses it.
/// </summary>
public sealed record RequestBody(string? Json, ApiProblem? Problem)
{
    public static RequestBody Of(string json) => new(json, null);

    public static RequestBody Refused(ApiProblem problem) => new(null, problem);
}
