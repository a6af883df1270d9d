namespace PgMigration.Core.Api;

/// <summary>
/// What a host-neutral handler answers: a status code and a body that the host serializes with
/// <see cref="ApiJson.Options"/>. Hosts translate this into their own response type in a few lines.
/// </summary>
public sealed record ApiResult(int StatusCode, object Body)
{
    /// <summary>Set on 202 answers: where the caller polls.</summary>
    public string? Location { get; init; }

    /// <summary>Set on 202 answers: how long the caller should wait before it polls again.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ApiResult Problem(ApiProblem problem) => new(problem.Status, problem);
}
