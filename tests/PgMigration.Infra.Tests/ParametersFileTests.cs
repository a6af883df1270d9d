using System.Text.Json.Nodes;

namespace PgMigration.Infra.Tests;

public class ParametersFileTests
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
}
