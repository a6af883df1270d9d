using System.CommandLine;
using System.Globalization;
using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Schema;

namespace PgMigration.Cli.Commands;

/// <summary>
/// pgmigrate migrate: read the source catalog, build the DDL script, check the target, apply.
/// The schema path runs the whole script in one transaction. The data path slots in between
/// pre-data and post-data (see <see cref="SchemaScript.PreData"/> and the post-data stages).
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
                parse.GetValue(targetPassword)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(MigrateOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CommandErrors.RunAsync(error, async () =>
        {
            if (options.Mode != MigrationMode.Schema)
            {
                DataPhaseOptionSet.Validate(options.Data ?? new DataPhaseOptions());
            }

            if (options.Target is null && !options.DryRun)
            {
                throw new UsageException("--target is required (only --dry-run works without one).");
            }

            var sourceSpec = CommandLineConnection.Parse("source", options.Source, options.SourcePasswordFile, error);
            var targetSpec = options.Target is null ? null : CommandLineConnection.Parse("target", options.Target, options.TargetPasswordFile, error);
            await using var sourceData = DataSourceFactory.Create(sourceSpec, warn: error.WriteLine);
            await using var targetData = targetSpec is null ? null : DataSourceFactory.Create(targetSpec, warn: error.WriteLine);

            // Both sign-ins at once; when both fail, the source's error is the one reported.
            await Task.WhenAll(
                ConnectionProbe.CheckAsync(sourceData, sourceSpec, cancellationToken),
                targetData is null ? Task.CompletedTask : ConnectionProbe.CheckAsync(targetData, targetSpec!, cancellationToken));
            if (targetData is not null)
            {
                await DatabaseIdentity.RefuseSameDatabaseAsync(sourceData, sourceSpec, targetData, targetSpec!, cancellationToken);
            }

            // The data plan reads the source too: it is worked out while the catalog is read.
            var planning = options.Mode != MigrationMode.Schema && !options.DryRun
                ? DataPlanning.Start(options, sourceSpec, targetSpec!, sourceData, targetData!, cancellationToken)
                : null;
            try
            {
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

                var steps = script.SchemaOnly.ToList();
                if (options.DryRun)
                {
                    await output.WriteAsync(script.ToSql(steps));
                    return ExitCodes.Success;
                }

                if (options.Mode != MigrationMode.Schema)
                {
                    return await DataMigration.RunAsync(
                        new MigrationSession(options, sourceSpec, targetSpec!, sourceData, targetData!, catalog, filter, script, planning!, output, error), cancellationToken);
                }

                steps = await CheckTargetAsync(targetData!, targetSpec!, catalog, script, steps, options.SkipExisting, error, cancellationToken);
                await ApplySchemaOnlyAsync(targetData!, steps, error, cancellationToken);
                await output.WriteLineAsync(
                    $"Schema migrated to {targetSpec!.Display}: {steps.Count(s => s.Phase == SchemaPhase.PreData)} pre-data and " +
                    $"{steps.Count(s => s.Phase == SchemaPhase.PostData)} post-data steps; {script.NotMigrated.Count} object(s) not migrated.");
                return ExitCodes.Success;
            }
            finally
            {
                if (planning is not null)
                {
                    await planning.SettleAsync();
                }
            }
        });

    internal static void RefuseBrokenDependencies(SchemaScript script)
    {
        if (script.BrokenDependencies.Count > 0)
        {
            throw new UsageException(
                "The filters would break dependencies:\n  " + string.Join("\n  ", script.BrokenDependencies) +
                "\nInclude what they depend on, or exclude the dependent objects too.");
        }
    }

    internal static async Task<List<SchemaStep>> CheckTargetAsync(
        NpgsqlDataSource target, ConnectionSpec targetSpec, DatabaseCatalog catalog, SchemaScript script, List<SchemaStep> steps, bool skipExisting, TextWriter error, CancellationToken cancellationToken)
    {
        var extensions = catalog.Extensions
            .Where(e => steps.Any(s => s.Kind == SchemaObjectKind.Extension && s.Name == SqlText.Identifier(e.Name)))
            .Select(e => e.Name);
        var report = await new TargetInspector(target).InspectAsync(script with { Steps = steps }, extensions, RequiredRoles(catalog, steps), cancellationToken);
        if (report.MissingRoles.Count > 0)
        {
            throw new UsageException(
                $"The target {targetSpec.Display} has no role(s) {string.Join(", ", report.MissingRoles)}, which policies or --owners-and-grants need. Create them on the target first (roles are not migrated).");
        }

        if (report.MissingExtensions.Count > 0)
        {
            throw new UsageException(
                $"The target {targetSpec.Display} cannot install the extension(s) {string.Join(", ", report.MissingExtensions)}. Install their packages on the target server first.");
        }

        if (!report.IsSuperuser && steps.Any(s => s.Kind == SchemaObjectKind.EventTrigger))
        {
            foreach (var trigger in steps.Where(s => s.Kind == SchemaObjectKind.EventTrigger))
            {
                await error.WriteLineAsync($"not migrated: event trigger {trigger.Name}: creating event triggers needs a superuser on the target; create it there as one");
            }

            steps = steps.Where(s => s.Kind != SchemaObjectKind.EventTrigger).ToList();
        }

        if (report.ServerVersionNumber / 10000 < catalog.Server.MajorVersion)
        {
            await error.WriteLineAsync($"warning: the target runs an older major version than the source ({catalog.Server.Version}); DDL using newer features will fail.");
        }

        if (report.Conflicts.Count == 0)
        {
            return steps;
        }

        if (!skipExisting)
        {
            var shown = report.Conflicts.Take(20).Select(c => c.Description).ToList();
            var more = report.Conflicts.Count > shown.Count ? $"\n  ... and {report.Conflicts.Count - shown.Count} more" : string.Empty;
            throw new UsageException(
                $"The target {targetSpec.Display} already has {report.Conflicts.Count} object(s) this migration would create:\n  {string.Join("\n  ", shown)}{more}\n" +
                "Migrate into an empty database, drop those objects, or pass --skip-existing to leave them as they are.");
        }

        var kept = report.WithoutExisting(steps);
        await error.WriteLineAsync($"Skipping {steps.Count - kept.Count} step(s) for objects the target already has (--skip-existing).");
        return kept;
    }

    // Roles the included policies name, and the owners and grantees of --owners-and-grants.
    private static IEnumerable<string> RequiredRoles(DatabaseCatalog catalog, List<SchemaStep> steps)
    {
        var names = steps.Where(s => s.Kind is SchemaObjectKind.Policy or SchemaObjectKind.Privileges).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var policyRoles = catalog.Policies.Where(p => names.Contains($"{SqlText.Identifier(p.Name)} ON {p.Table}")).SelectMany(p => p.Roles);
        var privilegeRoles = catalog.Privileges.Where(p => names.Contains(p.ObjectSql))
            .SelectMany(p => new[] { p.Owner }.Concat((p.Acl ?? []).Concat(p.ColumnGrants).Select(a => a.Grantee)));
        return policyRoles.Concat(privilegeRoles).Where(r => r != "PUBLIC").Distinct(StringComparer.Ordinal);
    }

    private static async Task ApplySchemaOnlyAsync(NpgsqlDataSource target, List<SchemaStep> steps, TextWriter error, CancellationToken cancellationToken)
    {
        var lastReport = TimeSpan.Zero;
        var options = new SchemaApplyOptions
        {
            SingleTransaction = true,
            OnStepApplied = applied =>
            {
                if (applied.Number == applied.Total || applied.Elapsed - lastReport > TimeSpan.FromSeconds(2))
                {
                    lastReport = applied.Elapsed;
                    error.WriteLine($"  {applied.Number}/{applied.Total} steps applied ({applied.Step.Phase}: {applied.Step.Description}) {applied.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
                }
            },
        };

        // A dropped connection rolls the transaction back, so the whole schema is simply tried again.
        var pipeline = ResiliencePolicy.Create(onRetry: message => error.WriteLine($"  {message}"));
        await error.WriteLineAsync($"Applying {steps.Count} steps in one transaction ...");
        await pipeline.ExecuteAsync(async ct => await new SchemaApplier(target).ApplyAsync(steps, options, ct), cancellationToken);
    }
}
