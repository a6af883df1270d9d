using Polly;
using Polly.Retry;

namespace PgMigration.Core.Connections;

/// <summary>Retries transient database failures with exponential backoff and jitter.</summary>
internal sealed record ResilienceOptions
{
    public int MaxRetries { get; init; } = 6;
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

internal static class ResiliencePolicy
{
    public static ResiliencePipeline Create(ResilienceOptions? options = null, Action<string>? onRetry = null)
    {
        options ??= new ResilienceOptions();
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientErrors.IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstDelay,
                MaxDelay = options.MaxDelay,
                OnRetry = args =>
                {
                    onRetry?.Invoke(
                        $"transient failure ({args.Outcome.Exception?.GetType().Name}: {args.Outcome.Exception?.Message}); " +
                        $"retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0}s");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
