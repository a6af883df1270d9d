using System.Text.Json.Nodes;
using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

public class TemplateEvaluatorTests
{
    [Fact]
    public void If_evaluates_only_the_branch_taken()
    {
        // Resource Manager evaluates if() lazily; the untaken branch reads a module that does not exist.
        var deployment = Evaluate("""
            { "parameters": { "flag": { "type": "bool" } },
              "outputs": { "picked": { "type": "string",
                "value": "[if(parameters('flag'), 'taken', reference(resourceId('Microsoft.Resources/deployments', 'missing'), '2025-04-01').outputs.x.value)]" } } }
            """, ("flag", true));

        Assert.Equal("taken", deployment.Outputs["picked"]);
    }

    [Fact]
    public void Resources_whose_condition_is_false_are_not_deployed()
    {
        var deployment = Evaluate("""
            { "parameters": { "create": { "type": "bool" } },
              "resources": [ { "condition": "[parameters('create')]", "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2024-01-01", "name": "st" } ] }
            """, ("create", false));

        Assert.Empty(deployment.Resources);
    }

    [Fact]
    public void Deployment_time_values_stay_symbolic_inside_strings()
    {
        var deployment = Evaluate("""
            { "outputs": { "key": { "type": "string",
                "value": "[format('AccountKey={0}', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2024-01-01').keys[0].value)]" } } }
            """);

        Assert.Equal(
            "AccountKey=⟨listKeys(/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-under-test/providers/Microsoft.Storage/storageAccounts/st, 2024-01-01).keys[0].value⟩",
            deployment.Outputs["key"]);
    }

    [Fact]
    public void Unknown_functions_are_refused_rather_than_guessed()
    {
        var error = Assert.Throws<NotSupportedException>(() => Evaluate("""
            { "outputs": { "when": { "type": "string", "value": "[dateTimeAdd('2020-01-01', 'P1D')]" } } }
            """));

        Assert.Contains("dateTimeAdd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_on_deployment_time_values_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Evaluate("""
            { "resources": [ { "condition": "[empty(reference(resourceId('Microsoft.Web/sites', 'app'), '2024-04-01').defaultHostName)]",
                "type": "Microsoft.Web/sites/config", "apiVersion": "2024-04-01", "name": "app/appsettings" } ] }
            """));

        Assert.Contains("only Azure knows while deploying", error.Message, StringComparison.Ordinal);
    }

    private static EvaluatedDeployment Evaluate(string template, params (string Name, object? Value)[] parameters)
    {
        var json = JsonNode.Parse(template)!.AsObject();
        json["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
        return TemplateEvaluator.Evaluate(json, parameters.ToDictionary(p => p.Name, p => p.Value));
    }
}
