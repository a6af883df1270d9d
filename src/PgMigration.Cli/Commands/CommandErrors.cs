using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Verification;
using PgMigration.Core.Workflow;

namespace PgMigration.Cli.Commands;

/// <summary>Bad input the user can fix; reported without a stack trace, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Maps failures to messages and exit codes: 2 for what the user can fix in the command, 1 for a failed migration.</summary>
internal static class CommandErrors
{
    public const string ResumeAdvice = "Fix the cause and run the same command again: finished work is kept and it resumes from its checkpoints.";

    // What the user must change (the target already has the objects, a filter breaks a dependency), as opposed to a failed copy.
    private static bool Refused(Exception failure)
    {
        for (var e = failure.InnerException; e is not null; e = e.InnerException)
        {
            if (e is MigrationRefusedException or FilterException or InvalidConnectionException or CheckpointMismatchException or SameDatabaseException or CheckpointStorageException)
            {
                return true;
            }
        }

        return false;
    }

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is UsageException or InvalidConnectionException or ConnectionFailedException or FilterException or CheckpointMismatchException or SameDatabaseException or MigrationRefusedException or CheckpointStorageException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadUsage;
        }
        catch (Exception ex) when (ex is ChunkCopyException or VerificationQueryException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.MigrationFailed;
        }
        catch (SchemaApplyException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.MigrationFailed;
        }
        catch (CatalogReadException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.MigrationFailed;
        }
        catch (VerificationMismatchException ex)
        {
            // Its message says what to do: a rerun would not copy those tables again.
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.MigrationFailed;
        }
        catch (MigrationFailedException ex)
        {
            // The workflow says what failed; what to do next is worded here, for a command line.
            // A refused run wrote nothing, and its message says what to change; resuming is advice for a failed one.
            await error.WriteLineAsync($"error: {ex.Message}");
            if (Refused(ex))
            {
                return ExitCodes.BadUsage;
            }

            await error.WriteLineAsync(ResumeAdvice);
            return ExitCodes.MigrationFailed;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return ExitCodes.MigrationFailed;
        }
    }
}
