using System.CommandLine;
using System.Globalization;
using PgMigration.Core.Catalog;
using PgMigration.Core.Connections;
using PgMigration.Core.Schema;

namespace PgMigration.Cli.Commands;

/// <summary>pgmigrate plan: what a migration would move (objects, tables with sizes and estimated rows) and what it would not.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var source = CommandOptions.Source();
        var sourcePassword = CommandOptions.PasswordFile("source");
        var include = CommandOptions.Include();
        var exclude = CommandOptions.Exclude();
        var command = new Command("plan", "Show what a migration would move: objects by kind, tables with sizes and estimated rows, and what is not migrated.")
        {
            source, sourcePassword, include, exclude,
        };
        var prompting = new PasswordPromptOptionSet();
        prompting.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(source)!, parse.GetValue(include) ?? [], parse.GetValue(exclude) ?? [],
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken, parse.GetValue(sourcePassword), prompting.Read(parse)));
        return command;
    }

    public static Task<int> RunAsync(
        string source,
        IReadOnlyList<string> include,
        IReadOnlyList<string> exclude,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken = default,
        FileInfo? sourcePasswordFile = null,
        PasswordPrompting prompting = PasswordPrompting.WhenNeeded) =>
        CommandErrors.RunAsync(error, async () =>
        {
            var servers = await CommandLineSignIn.SignInAsync([new ServerArgument("source", source, sourcePasswordFile)], prompting, error, cancellationToken);
            await using var signedIn = servers[0];
            var (spec, dataSource) = (signedIn.Spec, signedIn.Data);
            var catalog = await new CatalogReader(dataSource, new CatalogReadOptions { TableSizes = true }).ReadAsync(cancellationToken);
            var filter = CatalogFilter.Create(include, exclude, catalog);
            var script = SchemaScriptBuilder.Build(catalog, filter);

            await output.WriteLineAsync($"Source: {spec.Display} (PostgreSQL {catalog.Server.Version}, {catalog.Server.Encoding})");
            await output.WriteLineAsync("Objects to create:");
            foreach (var group in script.Steps.Where(s => s.Stage != SchemaStage.SequenceValues).GroupBy(s => s.Kind).OrderBy(g => g.Key))
            {
                await output.WriteLineAsync($"  {group.Key,-24} {group.Count(),6}");
            }

            var tables = catalog.Tables.Where(t => filter.IncludesRelation(t.Name)).OrderByDescending(t => t.TotalBytes ?? 0).ThenBy(t => t.Name.Sql, StringComparer.Ordinal).ToList();
            // Said the way migrate counts: partitioned tables hold no rows (their partitions do), and sizes here include indexes.
            var partitioned = tables.Count(t => t.IsPartitioned);
            var holding = partitioned == 0 ? string.Empty : $": {tables.Count - partitioned} with rows, {partitioned} partitioned (their rows are in their partitions)";
            await output.WriteLineAsync($"Tables ({tables.Count}{holding}; {Size(tables.Where(t => !t.IsPartitioned).Sum(t => t.TotalBytes ?? 0))} with indexes and TOAST), largest first:");
            foreach (var t in tables)
            {
                var rows = t.IsPartitioned ? "partitioned" : t.EstimatedRows < 0 ? "rows unknown (never analyzed)" : $"~{t.EstimatedRows.ToString("N0", CultureInfo.InvariantCulture)} rows";
                await output.WriteLineAsync($"  {t.Name.Sql,-40} {Size(t.TotalBytes ?? 0),10}  {rows}");
            }

            if (catalog.LargeObjects > 0 && filter.IsEmpty)
            {
                await output.WriteLineAsync($"Large objects: {catalog.LargeObjects.ToString("N0", CultureInfo.InvariantCulture)}, copied with the rows (modes all and data)");
            }

            foreach (var missing in script.NotMigrated)
            {
                await output.WriteLineAsync($"not migrated: {missing}");
            }

            foreach (var leftOut in script.FilteredOut)
            {
                await output.WriteLineAsync($"left out by the filters: {leftOut}");
            }

            MigrateCommand.RefuseBrokenDependencies(script);
            return ExitCodes.Success;
        });

    private static string Size(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return $"{value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
