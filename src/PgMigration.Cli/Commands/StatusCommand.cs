using System.CommandLine;
using System.Globalization;
using PgMigration.Core.Api;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Online;

namespace PgMigration.Cli.Commands;

/// <summary>
/// pgmigrate status: how far a migration is, per table, read from its checkpoints alone (a running or a
/// stopped one, local folder or blob container), without touching either database.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var checkpoints = new Option<string>("--checkpoints")
        {
            Description = "The migration's checkpoint folder or blob container URL, as given to migrate; with --id, the folder pgmigrate serve keeps all migrations in.",
            Required = true,
        };
        var id = new Option<string?>("--id") { Description = "Migration id, for checkpoints written by pgmigrate serve or the Functions app." };
        var command = new Command("status", "Show per-table progress of a migration from its checkpoints.") { checkpoints, id };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(checkpoints)!, parse.GetValue(id), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(string checkpoints, string? id, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CommandErrors.RunAsync(error, async () =>
        {
            var store = CheckpointsOption.Open(checkpoints, id);
            var tables = await new CheckpointProgressReader(_ => store).ReadAsync(id ?? string.Empty, null, cancellationToken);
            if (await ReplicationProgress.ReadAsync(store, cancellationToken) is { } replication)
            {
                var cutOver = await store.ReadDocumentAsync(CutoverRequest.DoneDocumentId, cancellationToken) is not null;
                await output.WriteAsync(RenderReplication(replication, cutOver, DateTimeOffset.UtcNow));
            }

            if (tables.Count == 0)
            {
                await output.WriteLineAsync($"{store.Location}: no data plan yet (the migration has not reached its data phase, or copies no rows).");
                return ExitCodes.Success;
            }

            await output.WriteAsync(Render(store.Location, tables));
            return ExitCodes.Success;
        });

    internal static string RenderReplication(ReplicationProgress replication, bool cutOver, DateTimeOffset now)
    {
        var text = new System.Text.StringBuilder();
        if (cutOver)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Cut over (replication slot and publication dropped): {replication.ChangesApplied:N0} changes applied while following.");
            return text.ToString();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Following the source (as of {replication.UpdatedAt:u}): {replication.Describe()}");
        if (replication.RetainsTooMuchWal)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"warning: the replication slot makes the source keep {replication.RetainedWalBytes / 1e9:N1} GB of WAL, which grows until the migration catches up, cuts over or is cancelled (cancel drops the slot).");
        }

        if (now - replication.UpdatedAt > TimeSpan.FromMinutes(1))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"warning: nothing was applied since {replication.UpdatedAt:u}; while no migration follows it, the slot keeps every new WAL segment on the source. Run the migration again to resume, or cancel it.");
        }

        return text.ToString();
    }

    internal static string Render(string location, IReadOnlyList<TableProgress> tables)
    {
        var names = tables.Select(t => t.DisplayName).ToList();
        var width = Math.Max(5, names.Max(n => n.Length));
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Checkpoints: {location}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"table".PadRight(width)}  {"state",-8}  {"rows copied",14}  {"of about",14}  {"chunks",9}  {"MB",10}");
        for (var i = 0; i < tables.Count; i++)
        {
            var t = tables[i];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{names[i].PadRight(width)}  {t.State.ToString().ToLowerInvariant(),-8}  {t.RowsCopied,14:N0}  {t.RowsEstimated,14:N0}  {$"{t.ChunksDone}/{t.ChunksTotal}",9}  {t.BytesCopied / 1e6,10:N1}{(t.RowsResumed > 0 ? $"  resumed at {t.RowsResumed:N0}" : string.Empty)}");
        }

        var copied = tables.Count(t => t.State == TableCopyState.Copied);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{copied} of {tables.Count} tables copied; {tables.Sum(t => t.RowsCopied):N0} rows, {tables.Sum(t => t.BytesCopied) / 1e6:N1} MB so far.");
        return text.ToString();
    }
}
