using PgMigration.Core.Checkpoints;

namespace PgMigration.Cli.Commands;

/// <summary>The checkpoints of one migration, as the verbs that read a running or stopped one name them (--checkpoints, --id).</summary>
internal static class CheckpointsOption
{
    /// <summary>The store at <paramref name="checkpoints"/> (or its <paramref name="id"/> folder); refuses a folder that does not exist.</summary>
    public static ICheckpointStore Open(string checkpoints, string? id)
    {
        var location = id is null ? checkpoints : $"{checkpoints.TrimEnd('/', '\\')}/{id}";
        if (!location.Contains("://", StringComparison.Ordinal) && !Directory.Exists(location))
        {
            throw new UsageException($"There are no checkpoints at {Path.GetFullPath(location)}. Give the --checkpoints value the migration ran with (and --id for pgmigrate serve).");
        }

        return CheckpointStoreFactory.Create(location);
    }
}
