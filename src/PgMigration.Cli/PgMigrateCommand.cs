using System.CommandLine;
using PgMigration.Cli.Commands;

namespace PgMigration.Cli;

/// <summary>The pgmigrate root command; each verb lives in its own file under Commands/.</summary>
public static class PgMigrateCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("pgmigrate: move a PostgreSQL database (schema, data or both) to another server.");
        foreach (var command in Verbs())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'pgmigrate --help' for usage.");
            return ExitCodes.BadUsage;
        }

        return await parse.InvokeAsync(cancellationToken: cancellationToken);
    }

    // One line per verb, so that adding a verb touches one line here.
    private static IEnumerable<Command> Verbs() =>
    [
        VersionCommand.Create(),
        PlanCommand.Create(),
        MigrateCommand.Create(),
        VerifyCommand.Create(),
        ServeCommand.Create(),
        StatusCommand.Create(),
        CutoverCommand.Create(),
    ];
}
