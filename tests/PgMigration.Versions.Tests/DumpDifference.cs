namespace PgMigration.Versions.Tests;

/// <summary>
/// How a target's dump differs from its source's, line by line as multisets (row order is physical and
/// may differ), so that a migration can be judged against what pg_dump | pg_restore does on the same pair.
/// </summary>
public sealed record DumpDifference(IReadOnlyList<string> Missing, IReadOnlyList<string> Extra)
{
    public static DumpDifference Between(string source, string target)
    {
        var sourceLines = Count(source);
        var targetLines = Count(target);
        return new DumpDifference(Subtract(sourceLines, targetLines), Subtract(targetLines, sourceLines));
    }

    /// <summary>What this difference has that <paramref name="baseline"/> does not.</summary>
    public DumpDifference Beyond(DumpDifference baseline) =>
        new(Subtract(Count(Missing), Count(baseline.Missing)), Subtract(Count(Extra), Count(baseline.Extra)));

    public bool IsEmpty => Missing.Count == 0 && Extra.Count == 0;

    public override string ToString() =>
        string.Join('\n', Missing.Take(60).Select(l => "- " + l).Concat(Extra.Take(60).Select(l => "+ " + l)));

    private static Dictionary<string, int> Count(string dump) => Count(dump.Split('\n'));

    private static Dictionary<string, int> Count(IEnumerable<string> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        return counts;
    }

    private static List<string> Subtract(Dictionary<string, int> from, Dictionary<string, int> what) =>
        from.SelectMany(kv => Enumerable.Repeat(kv.Key, Math.Max(0, kv.Value - what.GetValueOrDefault(kv.Key)))).Order(StringComparer.Ordinal).ToList();
}
