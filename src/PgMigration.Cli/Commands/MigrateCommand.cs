using System.CommandLine;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow;

namespace PgMigration.Cli.Commands;

/// <summary>
/// pgmigrate migrate: parse, then run the one migration workflow of every host (see <see cref="WorkflowMigration"/>)
/// for every mode; --dry-run only prints the DDL it would run.
/// </summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var source = CommandOptions.Source();
        var target = CommandOptions.Target(required: false);
        target.Description += " Not needed with --dry-run.";
        var sourcePassword = CommandOptions.PasswordFile("source");
        var targetPassword = CommandOptions.PasswordFile("target");
        var mode = new Option<MigrationMode>("--mode")
        {
            Description = "schema: DDL only; data: rows into an existing schema; all: both.",
            DefaultValueFactory = _ => MigrationMode.All,
        };
        var include = CommandOptions.Include();
        var exclude = CommandOptions.Exclude();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the DDL that would run, in order, and change nothing." };
        var skipExisting = new Option<bool>("--skip-existing")
        {
            Description = "Leave objects the target already has as they are (with their keys, indexes and triggers) instead of refusing to run.",
        };

        var ownersAndGrants = new Option<bool>("--owners-and-grants")
        {
            Description = "Also give objects their source owners and grants. Off by default because the target's roles usually differ; the roles must exist on the target.",
        };

        var command = new Command("migrate", "Migrate a database's schema and rows to another server, resumably, and verify the result.")
        {
            source, sourcePassword, target, targetPassword, mode, include, exclude, dryRun, skipExisting, ownersAndGrants,
        };
        var data = new DataPhaseOptionSet();
        data.AddTo(command);
        var prompting = new PasswordPromptOptionSet();
        prompting.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new MigrateOptions(
                parse.GetValue(source)!,
                parse.GetValue(target),
                parse.GetValue(mode),
                parse.GetValue(include) ?? [],
                parse.GetValue(exclude) ?? [],
                parse.GetValue(dryRun),
                parse.GetValue(skipExisting),
                data.Read(parse),
                parse.GetValue(ownersAndGrants),
                parse.GetValue(sourcePassword),
                parse.GetValue(targetPassword),
                prompting.Read(parse)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(MigrateOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CommandErrors.RunAsync(error, async () =>
        {
            DataPhaseOptionSet.Validate(options.Data ?? new DataPhaseOptions());
            if (options.DryRun)
            {
                return await PrintScriptAsync(options, output, error, cancellationToken);
            }

            if (options.Mode == MigrationMode.Schema && options.Data is { Online: true })
            {
                throw new UsageException("--online follows the source's rows: use it with --mode data or --mode all.");
            }

            if (options.Target is null)
            {
                throw new UsageException("--target is required (only --dry-run works without one).");
            }

            var (signedSource, signedTarget) = await CommandLineSignIn.SignInToBothAsync(
                options.Source, options.SourcePasswordFile, options.Target, options.TargetPasswordFile, options.Prompting, error, cancellationToken);
            await using var source = signedSource;
            await using var target = signedTarget;
            return await WorkflowMigration.RunAsync(new MigrationSession(options, source.Spec, target.Spec, source.Data, target.Data, output, error), cancellationToken);
        });

    // --dry-run reads the source only: the DDL every mode would run, in order.
    private static async Task<int> PrintScriptAsync(MigrateOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var servers = await CommandLineSignIn.SignInAsync([new ServerArgument("source", options.Source, options.SourcePasswordFile)], options.Prompting, error, cancellationToken);
        await using var source = servers[0];
        var (sourceSpec, sourceData) = (source.Spec, source.Data);
        await error.WriteLineAsync($"Reading the catalog of {sourceSpec.Display} ...");
        var catalog = await new CatalogReader(sourceData, new CatalogReadOptions { OwnersAndGrants = options.OwnersAndGrants }).ReadAsync(cancellationToken);
        var filter = CatalogFilter.Create(options.Include, options.Exclude, catalog);
        var script = SchemaScriptBuilder.Build(catalog, filter);
        RefuseBrokenDependencies(script);
        foreach (var missing in script.NotMigrated)
        {
            await error.WriteLineAsync($"not migrated: {missing}");
        }

        foreach (var leftOut in script.FilteredOut)
        {
            await error.WriteLineAsync($"left out by the filters: {leftOut}");
        }

        await output.WriteAsync(script.ToSql(script.SchemaOnly.ToList()));
        return ExitCodes.Success;
    }

    internal static void RefuseBrokenDependencies(SchemaScript script)
    {
        if (script.BrokenDependencies.Count > 0)
        {
            throw new UsageException(
                "The filters would break dependencies:\n  " + string.Join("\n  ", script.BrokenDependencies) +
                "\nInclude what they depend on, or exclude the dependent objects too.");
        }
    }
}
