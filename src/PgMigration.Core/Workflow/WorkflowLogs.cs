using Microsoft.Extensions.Logging;

namespace PgMigration.Core.Workflow;

internal static partial class WorkflowLogs
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Activity} attempt {Attempt} of {MaxAttempts} failed, retrying in {DelaySeconds:0.0}s: {Reason}")]
    public static partial void ActivityRetrying(this ILogger logger, string activity, int attempt, int maxAttempts, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {InstanceId} is {Phase} ({Done}/{Total})")]
    public static partial void Progress(this ILogger logger, string instanceId, string phase, int done, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void PasswordSourceWarning(this ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migration {Id} failed: {Reason}")]
    public static partial void MigrationFailed(this ILogger logger, string id, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id} completed: {Tables} tables, {Rows} rows, {Bytes} bytes copied, {Verified} tables verified")]
    public static partial void MigrationCompleted(this ILogger logger, string id, int tables, long rows, long bytes, int verified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {Id}: the snapshot of slot {Slot} was lost with the process that held it; starting the copy over from a new slot")]
    public static partial void OnlineSnapshotLost(this ILogger logger, string id, string slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id}: slot {Slot} consistent at {Lsn}; copying from its snapshot")]
    public static partial void OnlineStarted(this ILogger logger, string id, string slot, string lsn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id} cut over: downtime {Seconds:0.00}s, source tables locked: {Locked}")]
    public static partial void CutOver(this ILogger logger, string id, double seconds, bool locked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id} was cancelled; checkpoints are kept for a resume")]
    public static partial void MigrationCancelled(this ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: the rows in flight could not be published for status reads elsewhere (the copy goes on): {Reason}")]
    public static partial void StreamedProgressNotPublished(this ILogger logger, string table, string reason);
}
