using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Cli.Commands;

/// <summary>
/// The data plan of `migrate`, worked out on connections of its own while the catalog is read (both read
/// only the source). A new plan is stored with the checkpoints only once the filters have been checked
/// against that catalog, so a rerun after a mistyped --include never finds a plan made from it.
/// </summary>
internal sealed class DataPlanning
{
    private readonly DataCopyRunner runner;
    private readonly Task<(DataPlan Plan, bool Stored)> work;

    private DataPlanning(ICheckpointStore store, DataCopyRunner runner, Task<(DataPlan Plan, bool Stored)> work)
    {
        Store = store;
        this.runner = runner;
        this.work = work;
    }

    public ICheckpointStore Store { get; }

    public static DataPlanning Start(
        MigrateOptions migrate, ConnectionSpec sourceSpec, ConnectionSpec targetSpec, NpgsqlDataSource source, NpgsqlDataSource target, CancellationToken cancellationToken)
    {
        var options = migrate.Data ?? new DataPhaseOptions();
        var store = CheckpointStoreFactory.Create(options.Checkpoints ?? DefaultCheckpointFolder(sourceSpec, targetSpec));
        var filter = CatalogFilter.FromPatterns(migrate.Include, migrate.Exclude);
        var runner = new DataCopyRunner(source, target, store, DataCopyOptions.ForPlanning(filter, options.ChunkMegabytes));
        return new DataPlanning(store, runner, PlanAsync(runner, sourceSpec.Display, cancellationToken));
    }

    /// <summary>The plan as planned, and whether it is new (not stored yet, so nothing of this migration has run).</summary>
    public async Task<(DataPlan Plan, bool IsNew)> PlannedAsync()
    {
        var (plan, stored) = await work;
        return (plan, !stored);
    }

    /// <summary>The plan, stored now if it is new: call it once the filters and the target are known to be good.</summary>
    public async Task<DataPlan> CompleteAsync(CancellationToken cancellationToken)
    {
        var (plan, stored) = await work;
        if (!stored)
        {
            await runner.StorePlanAsync(plan, cancellationToken);
        }

        return plan;
    }

    /// <summary>Lets the planning finish when the command stops without it, so no query outlives its data source.</summary>
    public Task SettleAsync() => Task.WhenAny(work);

    private static async Task<(DataPlan Plan, bool Stored)> PlanAsync(DataCopyRunner runner, string sourceDisplay, CancellationToken cancellationToken) =>
        await runner.LoadPlanAsync(sourceDisplay, cancellationToken) is { } stored
            ? (stored, true)
            : (await runner.CreatePlanAsync(sourceDisplay, cancellationToken), false);

    private static string DefaultCheckpointFolder(ConnectionSpec source, ConnectionSpec target)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source.Display}\n{target.Display}")))[..10];
        return Path.Combine(Environment.CurrentDirectory, ".pgmigrate", $"{Slug(source.Builder.Database)}-to-{Slug(target.Builder.Database)}-{id}");
    }

    private static string Slug(string? name) =>
        new((name ?? "db").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
}
