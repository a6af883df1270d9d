using System.Text.Json.Nodes;
using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

public class AzdProjectTests
{
    [Fact]
    public async Task Parameters_file_names_only_template_parameters_and_every_required_one()
    {
        var template = (await CompiledTemplates.MainAsync())["parameters"]!.AsObject();
        var file = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.ParametersFile))!["parameters"]!.AsObject();

        var unknown = file.Select(p => p.Key).Where(name => !template.ContainsKey(name)).ToList();
        var required = template.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key).ToList();

        Assert.True(unknown.Count == 0, "main.parameters.json sets parameters main.bicep does not have: " + string.Join(", ", unknown));
        Assert.All(required, name => Assert.True(file.ContainsKey(name), $"main.parameters.json does not set the required parameter {name}."));
        Assert.Equal("${AZURE_ENV_NAME}", file["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Azd_finds_the_function_app_of_its_api_service()
    {
        var azureYaml = await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        Assert.Contains("  api:", azureYaml);
        Assert.Contains("    project: ./src/PgMigration.Functions", azureYaml);
        Assert.Contains("    language: dotnet", azureYaml);
        Assert.Contains("    host: function", azureYaml);

        // azd deploys service "api" to the resource tagged azd-service-name=api.
        var site = Assert.Single((await CompiledTemplates.DeployMainAsync()).OfType("Microsoft.Web/sites"));
        var tags = Assert.IsType<IReadOnlyDictionary<string, object?>>(site.Body["tags"], exactMatch: false);
        Assert.Equal("api", tags["azd-service-name"]);
        Assert.Equal("pgmig-test", tags["azd-env-name"]);
    }

    [Fact]
    public async Task Outputs_give_the_names_the_readme_commands_use()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var site = Assert.Single(deployment.OfType("Microsoft.Web/sites"));

        Assert.Equal("rg-pgmig-test", deployment.Outputs["AZURE_RESOURCE_GROUP"]);
        Assert.Equal(site.Name, deployment.Outputs["AZURE_FUNCTION_APP_NAME"]);
        Assert.StartsWith("https://", TemplateEvaluator.Render(deployment.Outputs["FUNCTION_APP_URL"]), StringComparison.Ordinal);
        Assert.Equal(Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities")).Name, deployment.Outputs["MANAGED_IDENTITY_NAME"]);

        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var name in new[] { "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "FUNCTION_APP_URL", "MANAGED_IDENTITY_NAME" })
        {
            Assert.Contains($"${name}", readme, StringComparison.Ordinal);
        }
    }
}
