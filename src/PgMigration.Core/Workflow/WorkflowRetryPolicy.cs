using Npgsql;
using PgMigration.Core.Connections;

namespace PgMigration.Core.Workflow;

/// <summary>
/// How often and how patiently an activity is retried: the same numbers locally and in Durable
/// (mapped onto Microsoft.DurableTask.RetryPolicy there).
/// </summary>
public sealed record WorkflowRetryPolicy(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient, TimeSpan MaxRetryInterval)
{
    /// <summary>Database work: outlasts a server restart or failover of a minute or two.</summary>
    public static WorkflowRetryPolicy Database { get; } = new(6, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Whether another attempt can help: not when the server refused the SQL or the sign-in, or the
    /// configuration is wrong, which no retry changes. Used by the local host and by the activities' guard,
    /// which marks such failures for Durable.
    /// </summary>
    public static bool CanHelp(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is PermanentFailureException or SameDatabaseException or Checkpoints.CheckpointStorageException or InvalidConnectionException or MigrationRefusedException or Catalog.FilterException or Catalog.UnknownCatalogCodeException || e is PostgresException pg && !TransientErrors.IsTransient(pg))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (2 is the first retry).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var seconds = FirstRetryInterval.TotalSeconds * Math.Pow(BackoffCoefficient, attempt - 2);
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryInterval.TotalSeconds));
    }
}
