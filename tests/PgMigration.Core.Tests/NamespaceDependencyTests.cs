using PgMigration.Core.Catalog;
using PgMigration.Testing;

namespace PgMigration.Core.Tests;

/// <summary>
/// The engine's layers depend one way: no namespace of Core (a folder, with the namespaces inside it)
/// reaches back to one that uses it. Read from the compiled code, so every use counts, not only usings.
/// </summary>
public class NamespaceDependencyTests
{
    [Fact]
    public void The_engine_namespaces_form_no_cycle()
    {
        var assembly = typeof(QualifiedName).Assembly;
        var edges = TypeReferences.Of(assembly)
            .Where(r => r.Used.Assembly == assembly)
            .Select(r => (From: Layer(r.User), To: Layer(r.Used)))
            .Where(e => e.From is not null && e.To is not null && e.From != e.To)
            .ToLookup(e => e.From, e => e.To);

        var cycle = FindCycle(edges);

        Assert.True(cycle is null, $"Core namespaces depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
        Assert.Contains("Workflow", edges.Select(g => g.Key));
    }

    // PgMigration.Core.Workflow.Models is part of the Workflow layer; compiler-generated helpers belong to none.
    private static string? Layer(Type type) =>
        type.Namespace is { } name && name.StartsWith("PgMigration.Core.", StringComparison.Ordinal) ? name.Split('.')[2] : null;

    private static List<string>? FindCycle(ILookup<string?, string?> edges)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var start and >= 0)
            {
                return [.. path[start..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in edges[node].Distinct().OfType<string>())
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return edges.Select(g => g.Key).OfType<string>().Select(Visit).FirstOrDefault(c => c is not null);
    }
}
