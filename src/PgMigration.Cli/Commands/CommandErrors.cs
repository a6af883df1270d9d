using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Verification;

namespace PgMigration.Cli.Commands;

/// <summary>Bad input the user can fix; reported without a stack trace, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Maps failures to messages and exit codes: 2 for what the user can fix in the command, 1 for a failed migration.</summary>
internal static class CommandErrors
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is UsageException or InvalidConnectionException or ConnectionFailedException or FilterException or CheckpointMismatchException)
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
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return ExitCodes.MigrationFailed;
        }
    }
}
