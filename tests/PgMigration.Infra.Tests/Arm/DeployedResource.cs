namespace PgMigration.Infra.Tests.Arm;

/// <summary>A resource the evaluated template would create: its type, name, scope and evaluated body.</summary>
public sealed record DeployedResource(string Type, string Name, string? Scope, string Module, IReadOnlyDictionary<string, object?> Body)
{
    public IReadOnlyDictionary<string, object?> Properties =>
        Body.TryGetValue("properties", out var properties) && properties is IReadOnlyDictionary<string, object?> map
            ? map
            : new Dictionary<string, object?>();

    public object? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Type} '{Name}' (module {Module})";
}
