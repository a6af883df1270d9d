using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using PgMigration.Core.Catalog;
using PgMigration.Core.Dashboard;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests;

/// <summary>
/// The engine's public surface is what its hosts (pgmigrate and the Functions app) use; everything else is
/// internal, so it can change without anyone outside the engine noticing. The tests see internals
/// (InternalsVisibleTo), so a type public only for them widens the surface for nothing.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly string[] Hosts = ["pgmigrate.dll", "PgMigration.Functions.dll"];

    /// <summary>
    /// Types a host uses only for their constants (function names in attributes, routes, limits): the
    /// compiler copies a constant's value into the host, which then keeps no reference to the type.
    /// </summary>
    private static readonly Type[] UsedForConstants = [typeof(WorkflowNames), typeof(MigrationLimits), typeof(DashboardAssets)];

    [Fact]
    public void Every_public_engine_type_is_used_by_a_host()
    {
        var core = typeof(QualifiedName).Assembly;
        var needed = Needed(core, Hosts.SelectMany(host => ReferencedBy(host, core)).Concat(UsedForConstants));

        var unused = core.GetExportedTypes().Where(t => !needed.Contains(t)).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();

        Assert.True(
            unused.Count == 0,
            $"Public in PgMigration.Core, but neither host ({string.Join(", ", Hosts)}) uses them, directly or through a public signature of a type it uses; make them internal (a type a host uses only for its constants belongs in {nameof(UsedForConstants)}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", unused)}");
    }

    /// <summary>The Core types a host's compiled code names (every use, nested and generic-argument types included, has a type reference).</summary>
    private static List<Type> ReferencedBy(string host, Assembly core)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "hosts", host);
        Assert.True(File.Exists(path), $"{path} is missing: the test project copies the hosts' assemblies there when it is built.");
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var coreName = core.GetName().Name;
        return metadata.TypeReferences
            .Select(metadata.GetTypeReference)
            .Where(reference => AssemblyOf(metadata, reference) == coreName)
            .Select(reference => core.GetType(NameOf(metadata, reference), throwOnError: true)!)
            .ToList();
    }

    private static string? AssemblyOf(MetadataReader metadata, TypeReference reference) => reference.ResolutionScope.Kind switch
    {
        HandleKind.TypeReference => AssemblyOf(metadata, metadata.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope)),
        HandleKind.AssemblyReference => metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name),
        _ => null,
    };

    private static string NameOf(MetadataReader metadata, TypeReference reference) =>
        reference.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{NameOf(metadata, metadata.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope))}+{metadata.GetString(reference.Name)}"
            : $"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}";

    /// <summary>
    /// The used types and, transitively, what C# requires to be as visible as they are: the type that
    /// nests one, a class's base, an interface's bases, generic constraints, and the types in the
    /// signatures of public and protected members.
    /// </summary>
    private static HashSet<Type> Needed(Assembly core, IEnumerable<Type> used)
    {
        var needed = new HashSet<Type>();
        var pending = new Stack<Type>(used);
        while (pending.TryPop(out var type))
        {
            if (type.Assembly != core || !needed.Add(type))
            {
                continue;
            }

            foreach (var next in Exposed(type).SelectMany(Parts))
            {
                pending.Push(next);
            }
        }

        return needed;
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Exposed(Type type)
    {
        if (type.DeclaringType is { } outer)
        {
            yield return outer;
        }

        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        if (type.IsInterface)
        {
            foreach (var contract in type.GetInterfaces())
            {
                yield return contract;
            }
        }

        foreach (var constraint in Constraints(type.GetGenericArguments()))
        {
            yield return constraint;
        }

        foreach (var field in type.GetFields(Declared).Where(f => Visible(f.IsPublic, f.IsFamily, f.IsFamilyOrAssembly)))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            if (property.GetAccessors(nonPublic: true).Any(a => Visible(a.IsPublic, a.IsFamily, a.IsFamilyOrAssembly)))
            {
                yield return property.PropertyType;
                foreach (var index in property.GetIndexParameters())
                {
                    yield return index.ParameterType;
                }
            }
        }

        foreach (var handler in type.GetEvents(Declared).Where(e => e.AddMethod is { } add && Visible(add.IsPublic, add.IsFamily, add.IsFamilyOrAssembly)))
        {
            yield return handler.EventHandlerType!;
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (!Visible(method.IsPublic, method.IsFamily, method.IsFamilyOrAssembly))
            {
                continue;
            }

            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
                foreach (var constraint in Constraints(info.GetGenericArguments()))
                {
                    yield return constraint;
                }
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }

    private static bool Visible(bool isPublic, bool isProtected, bool isProtectedInternal) => isPublic || isProtected || isProtectedInternal;

    private static IEnumerable<Type> Constraints(Type[] arguments) =>
        arguments.Where(a => a.IsGenericParameter).SelectMany(a => a.GetGenericParameterConstraints());

    private static IEnumerable<Type> Parts(Type type)
    {
        if (type.HasElementType)
        {
            return Parts(type.GetElementType()!);
        }

        if (type.IsGenericParameter)
        {
            return [];
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().SelectMany(Parts).Prepend(type.GetGenericTypeDefinition())
            : [type];
    }
}
