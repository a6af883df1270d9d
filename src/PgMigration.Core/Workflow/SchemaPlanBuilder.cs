using System.Text.Json;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// Makes a migration's <see cref="SchemaPlan"/> from the source catalog and keeps it in the checkpoint
/// store. The command line makes it from the catalog it has already read (with its owners and grants),
/// the plan activity only when none is stored; either way a rerun keeps the DDL it began with.
/// </summary>
public static class SchemaPlanBuilder
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = PrecompiledJson.Resolver };

    /// <param name="script">What <see cref="SchemaScriptBuilder.Build"/> made of the same catalog and filter.</param>
    /// <param name="skipExisting">Leave objects the target already has as they are (then no table's autovacuum is paused).</param>
    public static SchemaPlan Build(DatabaseCatalog catalog, CatalogFilter filter, SchemaScript script, MigrationMode mode, bool skipExisting)
    {
        if (script.BrokenDependencies.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The include/exclude filters would break dependencies: {string.Join("; ", script.BrokenDependencies)}. Include what they depend on, or exclude the dependent objects too.");
        }

        // Rows need their tables before the data, even a table the script places after a post-data object.
        static bool IsTableCreation(SchemaStep step) => step.Kind == SchemaObjectKind.Table;
        var preData = mode == MigrationMode.Data ? [] : script.PreData.Concat(script.PostData.Where(IsTableCreation)).ToList();
        var postData = mode switch
        {
            MigrationMode.Data => script.InStage(SchemaStage.SequenceValues).ToList(),
            MigrationMode.Schema => script.PostData.Where(s => !IsTableCreation(s) && s.Stage != SchemaStage.SequenceValues).ToList(),
            _ => script.PostData.Where(s => !IsTableCreation(s)).ToList(),
        };

        // Keys and indexes build in parallel; every later step waits for the one before it, as the
        // schema engine orders them (foreign keys need their keys, refreshes their indexes).
        var groups = new List<IReadOnlyList<SchemaStep>>();
        var parallel = postData.Where(s => s.Stage == SchemaStage.KeysAndIndexes).ToList();
        if (parallel.Count > 0)
        {
            groups.Add(parallel);
        }

        groups.AddRange(postData.Where(s => s.Stage != SchemaStage.KeysAndIndexes).Select(s => (IReadOnlyList<SchemaStep>)[s]));
        var extensions = catalog.Extensions
            .Where(e => preData.Any(s => s.Kind == SchemaObjectKind.Extension && s.Name == SqlText.Identifier(e.Name)))
            .Select(e => e.Name)
            .ToList();
        // Tables this migration creates and loads, whose own options leave autovacuum alone (see PausedAutovacuum).
        var paused = mode != MigrationMode.All || skipExisting ? [] : catalog.Tables
            .Where(t => !t.IsPartitioned && filter.IncludesRelation(t.Name))
            .Where(t => !t.Options.Any(o => o.StartsWith("autovacuum_enabled=", StringComparison.Ordinal)))
            .Select(t => t.Name)
            .ToList();
        var requirements = mode == MigrationMode.Data ? [] : TargetVersionRequirement.Of(catalog);
        var leftOut = script.NotMigrated.Select(what => $"not migrated: {what}").Concat(script.FilteredOut.Select(what => $"left out by the filters: {what}")).ToList();
        if (mode == MigrationMode.Schema && catalog.LargeObjects > 0 && filter.IsEmpty)
        {
            leftOut.Add($"not migrated: {catalog.LargeObjects} large object(s): they are data; mode all or data copies them");
        }

        return new SchemaPlan(preData, groups, extensions)
        {
            SkipExisting = skipExisting,
            PausedAutovacuum = paused,
            TargetVersionRequirements = requirements,
            // Mode data gives nothing but large objects their owners and grants.
            RequiredRoles = [.. RequiredRoles(catalog, mode == MigrationMode.Data ? [] : [.. preData, .. postData])
                .Concat(mode != MigrationMode.Schema && filter.IsEmpty ? catalog.LargeObjectRoles : [])
                .Distinct(StringComparer.Ordinal)],
            LeftOut = leftOut,
        };
    }

    // Roles the included policies name, and the owners and grantees of the privileges (read only with owners and grants).
    private static List<string> RequiredRoles(DatabaseCatalog catalog, List<SchemaStep> steps)
    {
        var names = steps.Where(s => s.Kind is SchemaObjectKind.Policy or SchemaObjectKind.Privileges).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var policyRoles = catalog.Policies.Where(p => names.Contains($"{SqlText.Identifier(p.Name)} ON {p.Table}")).SelectMany(p => p.Roles);
        var privilegeRoles = catalog.Privileges.Where(p => names.Contains(p.ObjectSql))
            .SelectMany(p => new[] { p.Owner }.Concat((p.Acl ?? []).Concat(p.ColumnGrants).Select(a => a.Grantee)));
        return [.. policyRoles.Concat(privilegeRoles).Where(r => r != "PUBLIC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public static async Task<SchemaPlan?> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(SchemaPlan.DocumentId, cancellationToken) is { } json ? JsonSerializer.Deserialize<SchemaPlan>(json, Json) : null;

    /// <summary>The plan already stored for this migration, or the one <paramref name="build"/> makes, stored now.</summary>
    public static async Task<SchemaPlan> StoreOnceAsync(ICheckpointStore store, Func<SchemaPlan> build, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(store, cancellationToken) is { } stored)
        {
            return stored;
        }

        var plan = build();
        await store.WriteDocumentAsync(SchemaPlan.DocumentId, JsonSerializer.Serialize(plan, Json), cancellationToken);
        return plan;
    }
}
