using Microsoft.Extensions.Logging;

namespace PgMigration.Core.Api;

internal static partial class ApiLogs
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id} started: {Source} -> {Target}, mode {Mode}, parallelism {Parallelism} (resumed: {Resumed})")]
    public static partial void MigrationStarted(this ILogger logger, string id, string source, string target, string mode, int parallelism, bool resumed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration request refused with {Status}: {Detail}")]
    public static partial void RequestRefused(this ILogger logger, int status, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration {Id} cancelled; its checkpoints stay for a resume")]
    public static partial void MigrationCancelled(this ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} failed: {Detail}")]
    public static partial void HealthCheckFailed(this ILogger logger, string check, string detail);
}
