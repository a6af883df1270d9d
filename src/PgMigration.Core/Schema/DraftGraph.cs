using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// The steps being built, keyed by the catalog objects they create, with the pg_depend edges between them.
/// Orders them (topologically inside each stage, ties by kind then name) and applies filters.
/// </summary>
internal sealed class DraftGraph
{
    private readonly List<Draft> drafts = [];
    private readonly Dictionary<ObjectAddress, Draft> owners = [];
    private readonly Dictionary<ObjectAddress, ObjectAddress> localAliases = [];
    private readonly Dictionary<ObjectAddress, ObjectAddress> catalogAliases = [];
    private readonly DatabaseCatalog catalog;

    public DraftGraph(DatabaseCatalog catalog)
    {
        this.catalog = catalog;
        foreach (var alias in catalog.Aliases)
        {
            catalogAliases.TryAdd(alias.Alias, alias.Target);
        }
    }

    public Dictionary<ObjectAddress, Draft> RefreshOf { get; } = [];

    public Dictionary<ObjectAddress, Draft> AttachmentOf { get; } = [];

    public Draft Add(ObjectAddress? address, SchemaStage stage, SchemaObjectKind kind, string name, string sql, QualifiedName? table, string? schema, string? conflictKey)
    {
        var draft = new Draft(drafts.Count, address, stage, kind, name, sql, table, schema, conflictKey);
        drafts.Add(draft);
        if (address is { } a)
        {
            owners[a] = draft;
        }

        return draft;
    }

    public Draft? Find(ObjectAddress address) => Resolve(address);

    /// <summary>Objects created as part of another step (an identity sequence, a constraint's index) stand for that step.</summary>
    public void Alias(ObjectAddress alias, ObjectAddress target) => localAliases[alias] = target;

    public void LinkDependencies()
    {
        foreach (var dependency in catalog.Dependencies)
        {
            if (Resolve(dependency.Dependent) is { } dependent && Resolve(dependency.Referenced) is { } referenced && dependent != referenced)
            {
                dependent.DependsOn.Add(referenced);
            }
        }

        foreach (var draft in drafts)
        {
            foreach (var address in draft.DependsOnAddresses)
            {
                if (Resolve(address) is { } referenced && referenced != draft)
                {
                    draft.DependsOn.Add(referenced);
                }
            }
        }

        // A materialized view is refreshed after the ones it reads from.
        foreach (var (view, refresh) in RefreshOf)
        {
            foreach (var dependency in owners[view].DependsOn)
            {
                if (dependency.Address is { } a && RefreshOf.TryGetValue(a, out var before))
                {
                    refresh.DependsOn.Add(before);
                }
            }
        }

        // Deeper partition levels attach first, so each parent index becomes valid as its last child arrives.
        foreach (var attach in AttachmentOf.Values)
        {
            foreach (var child in AttachmentOf.Values.Where(c => c.AttachesTo is { } p && attach.DependsOnAddresses.Count > 0 && p == attach.DependsOnAddresses[0]))
            {
                attach.DependsOn.Add(child);
            }
        }
    }

    /// <summary>pg_dump's answer to a view that needs a primary key (GROUP BY on it): create it after the keys.</summary>
    public void DeferPreDataThatNeedsPostData()
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var draft in drafts.Where(d => d.Stage < SchemaStage.DeferredDefinitions))
            {
                if (draft.DependsOn.Any(d => d.Stage > draft.Stage && d.Stage <= SchemaStage.DeferredDefinitions))
                {
                    draft.Stage = SchemaStage.DeferredDefinitions;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    /// <summary>Stands for an object that is not migrated, so what depends on it can be left out too.</summary>
    public void AddUnsupported(UnsupportedObject unsupported)
    {
        if (unsupported.Address is { } address && owners.ContainsKey(address))
        {
            return;
        }

        var draft = Add(unsupported.Address, SchemaStage.PreData, SchemaObjectKind.Schema, unsupported.Name, string.Empty, null, null, null);
        draft.Unsupported = unsupported;
        draft.Dropped = true;
        draft.Included = false;
    }

    /// <summary>
    /// Leaves out everything that needs an object that is not migrated (a view on a foreign table, a column
    /// of a C base type), and says so, rather than failing the whole migration on it.
    /// </summary>
    public IReadOnlyList<UnsupportedObject> DropDependentsOfUnsupported()
    {
        var dependents = drafts.ToDictionary(d => d, _ => new List<Draft>());
        foreach (var d in drafts)
        {
            foreach (var dependency in d.DependsOn)
            {
                dependents[dependency].Add(d);
            }
        }

        var reported = new List<UnsupportedObject>();
        var work = new Queue<(Draft Draft, UnsupportedObject Cause)>(drafts.Where(d => d.Unsupported is not null).Select(d => (d, d.Unsupported!)));
        while (work.TryDequeue(out var item))
        {
            foreach (var dependent in dependents[item.Draft].Where(d => !d.Dropped))
            {
                dependent.Dropped = true;
                dependent.Included = false;
                reported.Add(new UnsupportedObject(dependent.KindText, dependent.Name, $"depends on {item.Cause.Kind} {item.Cause.Name}, which is not migrated"));
                work.Enqueue((dependent, item.Cause));
            }
        }

        return reported;
    }

    public IReadOnlyList<BrokenDependency> ApplyFilter(CatalogFilter filter)
    {
        if (filter.IsEmpty)
        {
            return [];
        }

        foreach (var d in drafts)
        {
            d.Included = !d.Dropped && d.Kind switch
            {
                SchemaObjectKind.Schema => filter.IncludesSchema(d.Schema!),
                // Database-wide objects are never what a filter picks: they come along with what needs them.
                SchemaObjectKind.Extension or SchemaObjectKind.ExtensionConfiguration or SchemaObjectKind.ForeignServer => false,
                SchemaObjectKind.Cast or SchemaObjectKind.EventTrigger => true,
                SchemaObjectKind.Privileges => true,
                _ when d.Table is not null => filter.IncludesRelation(d.Table),
                _ => d.Schema is null || filter.IncludesSchema(d.Schema),
            };
        }

        // Casts and event triggers go where their function goes; they are never the point of a filter.
        foreach (var cast in drafts.Where(d => d.Kind is SchemaObjectKind.Cast or SchemaObjectKind.EventTrigger))
        {
            cast.Included = cast.DependsOn.All(d => d.Included || d.IsSupport);
        }

        // Schemas and extensions come along with whatever needs them.
        var work = new Stack<Draft>(drafts.Where(d => d.Included));
        while (work.TryPop(out var draft))
        {
            foreach (var dependency in draft.DependsOn.Where(d => d.IsSupport && !d.Included && !d.Dropped))
            {
                dependency.Included = true;
                work.Push(dependency);
            }
        }

        // An extension's configuration rows go where the extension goes.
        foreach (var rows in drafts.Where(d => d.Kind == SchemaObjectKind.ExtensionConfiguration))
        {
            rows.Included = rows.DependsOn.All(d => d.Included);
        }

        // Owners and grants go where their object goes.
        foreach (var privileges in drafts.Where(d => d.Kind == SchemaObjectKind.Privileges))
        {
            privileges.Included = privileges.DependsOn.All(d => d.Included);
        }

        return drafts
            .Where(d => d.Included)
            .SelectMany(d => d.DependsOn.Where(x => !x.Included && !x.Dropped).Select(x => new BrokenDependency(d.Description, x.Description)))
            .Distinct()
            .ToList();
    }

    /// <summary>The names of objects of <paramref name="kind"/> that the filter left out.</summary>
    public IEnumerable<string> FilteredOut(SchemaObjectKind kind) =>
        drafts.Where(d => d.Kind == kind && !d.Included && !d.Dropped).Select(d => d.Name);

    /// <summary>The schemas of the extensions <paramref name="draft"/> depends on, through any chain of dependencies, in a stable order.</summary>
    private static List<string> ExtensionSchemasOf(Draft draft)
    {
        var schemas = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Draft> { draft };
        var pending = new Stack<Draft>(draft.DependsOn);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            if (next.Kind == SchemaObjectKind.Extension && next.Schema is { } schema)
            {
                schemas.Add(schema);
            }

            foreach (var dependency in next.DependsOn)
            {
                pending.Push(dependency);
            }
        }

        return [.. schemas];
    }

    public IReadOnlyList<SchemaStep> Order()
    {
        var ordered = new List<SchemaStep>(drafts.Count);
        foreach (var stage in drafts.Where(d => d.Included).GroupBy(d => d.Stage).OrderBy(g => g.Key))
        {
            var members = stage.ToHashSet();
            var waitingOn = members.ToDictionary(d => d, d => d.DependsOn.Count(members.Contains));
            var dependents = members.ToDictionary(d => d, _ => new List<Draft>());
            foreach (var d in members)
            {
                foreach (var dependency in d.DependsOn.Where(members.Contains))
                {
                    dependents[dependency].Add(d);
                }
            }

            var ready = new SortedSet<Draft>(members.Where(d => waitingOn[d] == 0), DraftOrder.Instance);
            var remaining = new SortedSet<Draft>(members, DraftOrder.Instance);
            while (remaining.Count > 0)
            {
                // A dependency cycle: take the first remaining step, as pg_dump does when it cannot break one.
                var next = ready.Count > 0 ? ready.Min! : remaining.Min!;
                ready.Remove(next);
                remaining.Remove(next);
                ordered.Add(next.ToStep() with { SearchPath = ExtensionSchemasOf(next) });
                foreach (var dependent in dependents[next].Where(remaining.Contains))
                {
                    if (--waitingOn[dependent] == 0)
                    {
                        ready.Add(dependent);
                    }
                }
            }
        }

        return ordered;
    }

    private Draft? Resolve(ObjectAddress address)
    {
        for (var hops = 0; hops < 8; hops++)
        {
            if (owners.TryGetValue(address, out var draft))
            {
                return draft;
            }

            if (localAliases.TryGetValue(address, out var local))
            {
                address = local;
            }
            else if (catalogAliases.TryGetValue(address, out var next))
            {
                address = next;
            }
            else
            {
                return null;
            }
        }

        return null;
    }

    private sealed class DraftOrder : IComparer<Draft>
    {
        public static readonly DraftOrder Instance = new();

        public int Compare(Draft? x, Draft? y)
        {
            var byKind = x!.Kind.CompareTo(y!.Kind);
            if (byKind != 0)
            {
                return byKind;
            }

            var byName = string.CompareOrdinal(x.Name, y.Name);
            return byName != 0 ? byName : x.Id.CompareTo(y.Id);
        }
    }
}

internal sealed class Draft(int id, ObjectAddress? address, SchemaStage stage, SchemaObjectKind kind, string name, string sql, QualifiedName? table, string? schema, string? conflictKey)
{
    public int Id { get; } = id;
    public ObjectAddress? Address { get; } = address;
    public SchemaStage Stage { get; set; } = stage;
    public SchemaObjectKind Kind { get; } = kind;
    public string Name { get; } = name;
    public QualifiedName? Table { get; } = table;
    public string? Schema { get; } = schema;
    public bool IsSupport { get; set; }
    public bool Dropped { get; set; }
    public UnsupportedObject? Unsupported { get; set; }
    public bool Included { get; set; } = true;
    public ObjectAddress? AttachesTo { get; set; }
    public QualifiedName? References { get; set; }
    public List<ObjectAddress> DependsOnAddresses { get; } = [];
    public HashSet<Draft> DependsOn { get; } = [];

    public string Description => $"{KindText} {Name}";

    public string KindText => Kind switch
    {
        SchemaObjectKind.PrimaryKey => "primary key",
        SchemaObjectKind.ForeignKey => "foreign key",
        SchemaObjectKind.MaterializedView => "materialized view",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public SchemaStep ToStep() =>
        new(Stage, Kind, Name, sql.Replace(SchemaScriptBuilder.StatementBreak, '\n'), Table, conflictKey)
        {
            Statements = sql.Split(SchemaScriptBuilder.StatementBreak, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            References = References,
        };
}
