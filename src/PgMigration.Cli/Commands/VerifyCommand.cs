using System.CommandLine;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;

namespace PgMigration.Cli.Commands;

/// <summary>
/// pgmigrate verify: row count and content checksum of every table, source against target, computed by
/// the servers (big tables chunk by chunk, in parallel). Exit 1 names the tables that differ.
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var source = CommandOptions.Source();
        var target = CommandOptions.Target(required: true);
        var sourcePassword = CommandOptions.PasswordFile("source");
        var targetPassword = CommandOptions.PasswordFile("target");
        var include = CommandOptions.Include();
        var exclude = CommandOptions.Exclude();
        var parallelism = new Option<int>("--parallelism") { Description = "Checksum queries run at the same time on each server.", DefaultValueFactory = _ => 4 };
        var checkpoints = new Option<string>("--checkpoints")
        {
            Description = "Use the chunks of the migration recorded there (same value as given to migrate) instead of planning new ones.",
        };
        var command = new Command("verify", "Compare row counts and content checksums of every table between source and target.")
        {
            source, sourcePassword, target, targetPassword, include, exclude, parallelism, checkpoints,
        };
        var prompting = new PasswordPromptOptionSet();
        prompting.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new VerifyOptions(
                parse.GetValue(source)!,
                parse.GetValue(target)!,
                parse.GetValue(include) ?? [],
                parse.GetValue(exclude) ?? [],
                parse.GetValue(parallelism),
                parse.GetValue(checkpoints),
                parse.GetValue(sourcePassword),
                parse.GetValue(targetPassword),
                prompting.Read(parse)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static Task<int> RunAsync(VerifyOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CommandErrors.RunAsync(error, async () =>
        {
            DataPhaseOptionSet.Validate(new DataPhaseOptions(Parallelism: options.Parallelism));
            var (signedSource, signedTarget) = await CommandLineSignIn.SignInToBothAsync(
                options.Source, options.SourcePasswordFile, options.Target, options.TargetPasswordFile, options.Prompting, error, cancellationToken);
            await using var source = signedSource;
            await using var target = signedTarget;
            var (sourceSpec, sourceData, targetSpec, targetData) = (source.Spec, source.Data, target.Spec, target.Data);

            var plan = await StoredPlanAsync(options, sourceSpec, cancellationToken);
            if (plan is null)
            {
                var catalog = await new CatalogReader(sourceData).ReadAsync(cancellationToken);
                var filter = CatalogFilter.Create(options.Include, options.Exclude, catalog);
                var tables = await TableLayoutReader.ReadAsync(
                    sourceData, new TableLayoutReaderOptions { Include = (schema, name) => filter.IncludesRelation(new QualifiedName(schema, name)) }, cancellationToken);
                plan = await ChunkPlanner.PlanAsync(sourceData, tables, sourceSpec.Display, new ChunkPlannerOptions { MinimumChunks = options.Parallelism * 4 }, cancellationToken);
                plan = filter.IsEmpty ? plan with { LargeObjects = await LargeObjectPlan.ReadAsync(sourceData, ownersAndGrants: false, cancellationToken) } : plan;
            }

            await error.WriteLineAsync($"Verifying {plan.Tables.Count} tables ({plan.Chunks.Count} chunks) of {sourceSpec.Display} against {targetSpec.Display} ...");
            var report = await DataVerifier.VerifyAsync(sourceData, targetData, plan, new VerificationOptions { Parallelism = options.Parallelism }, cancellationToken);
            await output.WriteAsync(report.Render());
            if (report.AllMatch)
            {
                return ExitCodes.Success;
            }

            await error.WriteLineAsync($"error: {string.Join(", ", report.Mismatches.Select(t => t.Table))} differ between source and target.");
            return ExitCodes.MigrationFailed;
        });

    private static async Task<DataPlan?> StoredPlanAsync(VerifyOptions options, ConnectionSpec sourceSpec, CancellationToken cancellationToken)
    {
        if (options.Checkpoints is null)
        {
            return null;
        }

        var store = CheckpointStoreFactory.Create(options.Checkpoints);
        var stored = await store.ReadDocumentAsync(DataPlan.DocumentId, cancellationToken)
            ?? throw new UsageException($"No migration plan is recorded at {store.Location}. Leave out --checkpoints to verify every table.");
        var plan = DataPlan.FromJson(stored);
        return plan.Source == sourceSpec.Display
            ? plan
            : throw new UsageException($"The checkpoints at {store.Location} belong to a migration from {plan.Source}, not {sourceSpec.Display}.");
    }
}

/// <summary>What `pgmigrate verify` was asked to compare.</summary>
public sealed record VerifyOptions(
    string Source,
    string Target,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    int Parallelism,
    string? Checkpoints,
    FileInfo? SourcePasswordFile = null,
    FileInfo? TargetPasswordFile = null,
    PasswordPrompting Prompting = PasswordPrompting.WhenNeeded);
