using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// Which copied tables are loaded and keyed (every chunk in, every key and index built), and so what can
/// be done now: gather the table's statistics, and add the foreign keys whose table and referenced table
/// both are. Adding a key then, while other tables still copy, takes its validation scan off the end of
/// the migration. Keys are added one at a time: two tables that reference each other would otherwise
/// lock each other's tables in opposite orders and deadlock. Driven only by the order in which work
/// completes, so a replay makes the same decisions.
/// </summary>
internal sealed class KeyedTables
{
    private readonly Dictionary<int, int> indexStepsLeft;
    private readonly HashSet<int> copied = [];
    private readonly HashSet<int> keyed = [];
    private readonly HashSet<int> added = [];
    private readonly Queue<(PlannedTable Owner, PlannedForeignKey Key)> waiting = new();
    private bool adding;
    private readonly ILookup<int, (PlannedTable Owner, PlannedForeignKey Key)> byReferencedTable;

    public KeyedTables(IReadOnlyList<PlannedTable> tables)
    {
        indexStepsLeft = tables.ToDictionary(t => t.Index, t => t.IndexSteps.Count);
        byReferencedTable = tables.SelectMany(t => t.ForeignKeys.Select(k => (Owner: t, Key: k))).ToLookup(x => x.Key.ReferencedTable);
    }

    /// <summary>The table's rows are all in; its index steps follow (or, with none, it is keyed now).</summary>
    public KeyedProgress Copied(PlannedTable table)
    {
        copied.Add(table.Index);
        return KeyedIfDone(table);
    }

    public KeyedProgress IndexBuilt(PlannedTable table)
    {
        indexStepsLeft[table.Index]--;
        return KeyedIfDone(table);
    }

    /// <summary>The key handed out last is in; the next waiting one, if any, may go.</summary>
    public List<(PlannedTable Owner, PlannedForeignKey Key)> ForeignKeyAdded()
    {
        adding = false;
        return Next();
    }

    private KeyedProgress KeyedIfDone(PlannedTable table)
    {
        if (!copied.Contains(table.Index) || indexStepsLeft[table.Index] > 0 || !keyed.Add(table.Index))
        {
            return new KeyedProgress(null, []);
        }

        foreach (var ready in table.ForeignKeys.Select(k => (Owner: table, Key: k))
            .Concat(byReferencedTable[table.Index])
            .Where(x => keyed.Contains(x.Owner.Index) && keyed.Contains(x.Key.ReferencedTable) && added.Add(x.Key.Group)))
        {
            waiting.Enqueue(ready);
        }

        return new KeyedProgress(table, Next());
    }

    private List<(PlannedTable Owner, PlannedForeignKey Key)> Next()
    {
        if (adding || !waiting.TryDequeue(out var next))
        {
            return [];
        }

        adding = true;
        return [next];
    }
}

/// <summary>What a completion made possible: the table that is now loaded and keyed, if any, and the foreign keys to add.</summary>
internal sealed record KeyedProgress(PlannedTable? Keyed, List<(PlannedTable Owner, PlannedForeignKey Key)> ForeignKeys);
