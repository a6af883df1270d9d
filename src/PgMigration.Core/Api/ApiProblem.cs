using System.Text.Json.Serialization;

namespace PgMigration.Core.Api;

/// <summary>
/// An RFC 9457 problem-details body. <see cref="Errors"/> maps each offending request field to what is
/// wrong with it and how to fix it.
/// </summary>
public sealed record ApiProblem
{
    public string Type { get; init; } = "about:blank";

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static ApiProblem BadRequest(string field, string message) => new()
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1",
        Title = "The request is not valid.",
        Status = 400,
        Detail = $"{field}: {message}",
        Errors = new Dictionary<string, string[]> { [field] = [message] },
    };

    public static ApiProblem NotFound(string detail) => new()
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.5",
        Title = "Not found.",
        Status = 404,
        Detail = detail,
    };

    public static ApiProblem UnsupportedMediaType(string detail) => new()
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.16",
        Title = "The request body is not JSON.",
        Status = 415,
        Detail = detail,
    };

    public static ApiProblem ContentTooLarge(string detail) => new()
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.14",
        Title = "The request body is too large.",
        Status = 413,
        Detail = detail,
    };

    public static ApiProblem Unavailable(string detail) => new()
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.6.4",
        Title = "A server the request needs cannot be reached.",
        Status = 503,
        Detail = detail,
    };
}
