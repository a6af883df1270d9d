using PgMigration.Infra.Tests.Bicep;

namespace PgMigration.Infra.Tests;

public class BicepCompilerTests
{
    [Fact]
    public async Task Main_template_builds_with_the_real_bicep_compiler()
    {
        var template = await CompiledTemplates.MainAsync();
        Assert.Equal("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", template["$schema"]?.GetValue<string>());
        Assert.NotEmpty(template["resources"]!.AsArray());
    }

    [Fact]
    public async Task Main_template_lints_without_errors_or_warnings()
    {
        var diagnostics = await BicepCompiler.LintAsync(RepositoryPaths.MainTemplate);
        var problems = diagnostics.Where(d => d.Level is "error" or "warning").ToList();
        Assert.True(problems.Count == 0, "bicep lint reported:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Linter_reports_warnings_it_finds()
    {
        // The zero-warnings test above is only worth something if warnings come through the SARIF parsing.
        var diagnostics = await BicepCompiler.LintAsync(RepositoryPaths.Fixture("lint-warning.bicep"));
        Assert.Contains(diagnostics, d => d.Level == "warning" && d.Code == "no-unused-params");
    }

    [Fact]
    public void Infra_uses_no_registry_modules()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Where(file => File.ReadAllText(file).Contains("'br:", StringComparison.Ordinal) || File.ReadAllText(file).Contains("'br/", StringComparison.Ordinal))
            .ToList();
        Assert.True(offenders.Count == 0, "Registry modules need the network to restore: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Main_template_only_wires_modules()
    {
        var main = File.ReadAllLines(RepositoryPaths.MainTemplate);
        var resources = main.Where(line => line.StartsWith("resource ", StringComparison.Ordinal)).ToList();
        // The resource group is the one resource of the subscription-scoped main template; the rest are modules.
        Assert.Equal(["resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {"], resources);
        Assert.All(main.Where(line => line.StartsWith("module ", StringComparison.Ordinal)),
            line => Assert.Contains("'modules/", line, StringComparison.Ordinal));
    }
}
