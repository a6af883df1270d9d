using PgMigration.Infra.Tests.Arm;
using PgMigration.Infra.Tests.Bicep;

namespace PgMigration.Infra.Tests;

public class KeylessDeploymentTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Main_template_deploys_no_keys_with_or_without_a_created_target(bool createTargetServer)
    {
        var template = await CompiledTemplates.MainAsync();
        var deployment = await CompiledTemplates.DeployMainAsync(
            ("deployPostgresServer", createTargetServer),
            ("targetConnection", createTargetServer ? "" : "postgresql://migrator@target.example.com/app?sslmode=verify-full&auth=entra"));

        var violations = KeylessDeploymentRules.Violations(template, deployment);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts"));
        Assert.Single(deployment.OfType("Microsoft.Web/sites"));
    }

    [Fact]
    public async Task Key_based_template_fails_the_same_rules()
    {
        var template = await BicepCompiler.BuildAsync(RepositoryPaths.Fixture("key-based-storage.bicep"));
        var deployment = TemplateEvaluator.Evaluate(template, new Dictionary<string, object?>());

        var violations = KeylessDeploymentRules.Violations(template, deployment);

        Assert.Contains(violations, v => v.Contains("calls listKeys(", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("setting AzureWebJobsStorage carries a key or password (AccountKey=)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("setting AzureWebJobsStorage carries a key or password (listKeys)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("allowSharedKeyAccess is true, must be false", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("sets AzureWebJobsStorage as a connection string", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("AzureWebJobsStorage__credential must be managedidentity", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("The compiled template holds a storage key or SAS (AccountKey=)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("names no host storage account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_account_refuses_keys_public_blobs_and_old_tls()
    {
        var account = Assert.Single((await CompiledTemplates.DeployMainAsync()).OfType("Microsoft.Storage/storageAccounts"));

        Assert.Equal(false, account.Property("allowSharedKeyAccess"));
        Assert.Equal(false, account.Property("allowBlobPublicAccess"));
        Assert.Equal("TLS1_2", account.Property("minimumTlsVersion"));
        Assert.Equal(true, account.Property("supportsHttpsTrafficOnly"));
    }

    [Fact]
    public async Task Function_app_runs_dotnet_10_isolated_on_flex_consumption_as_the_user_assigned_identity()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var plan = Assert.Single(deployment.OfType("Microsoft.Web/serverfarms"));
        var site = Assert.Single(deployment.OfType("Microsoft.Web/sites"));
        var identity = Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));

        Assert.Equal("FC1", Path<string>(plan.Body, "sku", "name"));
        Assert.Equal("FlexConsumption", Path<string>(plan.Body, "sku", "tier"));
        Assert.Equal(true, site.Property("httpsOnly"));
        Assert.Equal("UserAssigned", Path<string>(site.Body, "identity", "type"));
        Assert.Equal("dotnet-isolated", Path<string>(site.Properties, "functionAppConfig", "runtime", "name"));
        Assert.Equal("10.0", Path<string>(site.Properties, "functionAppConfig", "runtime", "version"));

        var storage = Path<IReadOnlyDictionary<string, object?>>(site.Properties, "functionAppConfig", "deployment", "storage");
        Assert.Equal("blobContainer", storage["type"]);
        Assert.EndsWith("app-package", TemplateEvaluator.Render(storage["value"]), StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", Path<string>(storage, "authentication", "type"));
        var identityId = Path<string>(storage, "authentication", "userAssignedIdentityResourceId");
        Assert.EndsWith($"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity.Name}", identityId, StringComparison.Ordinal);

        var publishing = deployment.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, publishing.Count);
        Assert.All(publishing, p => Assert.Equal(false, p.Property("allow")));
    }

    [Fact]
    public async Task Application_insights_accepts_only_entra_authenticated_telemetry()
    {
        var component = Assert.Single((await CompiledTemplates.DeployMainAsync()).OfType("Microsoft.Insights/components"));
        Assert.Equal(true, component.Property("DisableLocalAuth"));
    }

    [Fact]
    public async Task Created_postgres_server_accepts_only_entra_sign_in_with_the_identity_as_administrator()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(("deployPostgresServer", true));
        var server = Assert.Single(deployment.OfType("Microsoft.DBforPostgreSQL/flexibleServers"));
        var identity = Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var administrator = Assert.Single(deployment.OfType("Microsoft.DBforPostgreSQL/flexibleServers/administrators"));

        Assert.Equal("Enabled", Path<string>(server.Properties, "authConfig", "activeDirectoryAuth"));
        Assert.Equal("Disabled", Path<string>(server.Properties, "authConfig", "passwordAuth"));
        Assert.Equal("ServicePrincipal", administrator.Property("principalType"));
        Assert.Equal(identity.Name, administrator.Property("principalName"));
        Assert.Single(deployment.OfType("Microsoft.DBforPostgreSQL/flexibleServers/databases"));
    }

    internal static T Path<T>(IReadOnlyDictionary<string, object?> root, params string[] path)
    {
        object? current = root;
        foreach (var step in path)
        {
            current = current is IReadOnlyDictionary<string, object?> map && map.TryGetValue(step, out var next)
                ? next
                : throw new KeyNotFoundException($"No '{step}' on the way to {string.Join(".", path)}.");
        }

        return Assert.IsType<T>(current, exactMatch: false);
    }
}
