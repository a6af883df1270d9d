using System.CommandLine;
using PgMigration.Cli.Hosting;

namespace PgMigration.Cli.Commands;

/// <summary><c>pgmigrate serve</c>: the HTTP API of the Azure Functions app, locally.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => LocalApiServerOptions.DefaultUrls,
        };
        var checkpoints = new Option<string?>("--checkpoints")
        {
            Description = "Checkpoint folder or blob container URL (one sub-folder per migration id). Default: Checkpoints__Folder, else ./pgmigrate-checkpoints.",
        };
        var command = new Command(
            "serve",
            "Serve the HTTP API (POST /api/migrations, GET /api/migrations/{id}, POST /api/migrations/{id}/cancel, " +
            "GET /api/connections/{name}/schemas, GET /api/health) over this machine. Connections are named by the " +
            "environment: Connections__source=postgresql://user@host/db, passwords from PGPASSWORD or ~/.pgpass.")
        {
            urls,
            checkpoints,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var server = await LocalApiServer.StartAsync(
                new LocalApiServerOptions { Urls = parse.GetValue(urls)!, Checkpoints = parse.GetValue(checkpoints) },
                cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"pgmigrate serve: listening on {server.BaseAddress} (Ctrl+C stops; running migrations keep their checkpoints)");
            await server.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
