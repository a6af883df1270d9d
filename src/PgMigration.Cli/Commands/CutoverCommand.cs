using System.CommandLine;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Online;

namespace PgMigration.Cli.Commands;

/// <summary>
/// pgmigrate cutover: asks a running online migration to cut over, through its checkpoints (the follow phase
/// looks for the request every second), so it works from any shell that can reach them.
/// </summary>
public static class CutoverCommand
{
    public static Command Create()
    {
        var checkpoints = new Option<string>("--checkpoints")
        {
            Description = "The online migration's checkpoint folder or blob container URL, as given to migrate; with --id, the folder pgmigrate serve keeps all migrations in.",
            Required = true,
        };
        var id = new Option<string?>("--id") { Description = "Migration id, for migrations started by pgmigrate serve or the Functions app." };
        var lockSource = new Option<bool>("--lock-source")
        {
            Description = "Make the migrated tables read-only on the source for the cut over (writes wait, reads go on), so no write lands after the last change is applied.",
        };
        var command = new Command("cutover", "Cut an online migration over: wait for lag zero, set sequences, verify, drop the replication slot and publication.")
        {
            checkpoints, id, lockSource,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(checkpoints)!, parse.GetValue(id), parse.GetValue(lockSource), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string checkpoints, string? id, bool lockSource, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CommandErrors.RunAsync(error, async () =>
        {
            var store = CheckpointsOption.Open(checkpoints, id);
            if (await OnlineStart.ReadAsync(store, cancellationToken) is null)
            {
                throw new UsageException($"{store.Location} holds no online migration that has started following its source: cut over applies to migrate --online once its replication slot exists.");
            }

            await new CutoverRequest(DateTimeOffset.UtcNow, lockSource).StoreAsync(store, cancellationToken);
            await output.WriteLineAsync($"Cut over requested{(lockSource ? " (the source's tables will be read-only while it runs)" : string.Empty)}: the running migration catches up, sets sequences, verifies and drops its slot and publication.");
            return ExitCodes.Success;
        });
}
