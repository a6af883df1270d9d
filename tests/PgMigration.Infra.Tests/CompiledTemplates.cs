using System.Text.Json.Nodes;
using PgMigration.Infra.Tests.Arm;
using PgMigration.Infra.Tests.Bicep;

namespace PgMigration.Infra.Tests;

/// <summary>infra/main.bicep compiled once per test run by the real Bicep CLI, and evaluated per scenario.</summary>
public static class CompiledTemplates
{
    public const string EntraSource = "postgresql://migrator@source.example.com:5432/app?sslmode=verify-full&auth=entra";

    public const string AuthClientId = "11111111-2222-3333-4444-555555555555";

    private static readonly Lazy<Task<JsonObject>> Main = new(() => BicepCompiler.BuildAsync(RepositoryPaths.MainTemplate));

    public static Task<JsonObject> MainAsync() => Main.Value;

    /// <summary>The resources main.bicep deploys with these parameters on top of an Entra source and a created target.</summary>
    public static async Task<EvaluatedDeployment> DeployMainAsync(params (string Name, object? Value)[] parameters)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["environmentName"] = "pgmig-test",
            ["location"] = "swedencentral",
            ["sourceConnection"] = EntraSource,
            ["authClientId"] = AuthClientId,
        };
        foreach (var (name, value) in parameters)
        {
            values[name] = value;
        }

        return TemplateEvaluator.Evaluate(await MainAsync(), values);
    }
}
