using System.CommandLine;
using System.Reflection;

namespace PgMigration.Cli.Commands;

public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("about", "Show the pgmigrate version and the .NET runtime it runs on.");
        command.SetAction(parse =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            parse.InvocationConfiguration.Output.WriteLine($"pgmigrate {version} on .NET {Environment.Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
