using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

public class RoleAssignmentTests
{
    // Azure built-in role definition ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    [Fact]
    public async Task Grants_exactly_host_and_durable_storage_checkpoint_and_telemetry_roles()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var names = ResourceNames.Of(deployment);

        Assert.Equal(
            new[]
            {
                // Host and Durable's Azure Storage backend: containers and leases, queues, tables.
                (StorageBlobDataOwner, $"Microsoft.Storage/storageAccounts/{names.Storage}"),
                (StorageQueueDataContributor, $"Microsoft.Storage/storageAccounts/{names.Storage}"),
                (StorageTableDataContributor, $"Microsoft.Storage/storageAccounts/{names.Storage}"),
                (StorageBlobDataContributor, $"Microsoft.Storage/storageAccounts/{names.Storage}/blobServices/default/containers/checkpoints"),
                (MonitoringMetricsPublisher, $"Microsoft.Insights/components/{names.ApplicationInsights}"),
            }.Order(),
            Assignments(deployment).Order());
    }

    [Fact]
    public async Task Storage_roles_are_on_the_account_the_app_settings_name_for_the_identity_they_sign_in_as()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var settings = Assert.Single(deployment.AppSettings()).Settings;
        var identity = Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var storageRoles = new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor };

        var storageAssignments = deployment.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => storageRoles.Any(role => TemplateEvaluator.Render(a.Property("roleDefinitionId")).EndsWith("/" + role, StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(3, storageAssignments.Count);

        // The account every AzureWebJobsStorage__*ServiceUri setting names.
        var accounts = new[] { "blob", "queue", "table" }
            .Select(service => StorageAccountIn(TemplateEvaluator.Render(settings[$"AzureWebJobsStorage__{service}ServiceUri"])))
            .Distinct()
            .ToList();
        var account = Assert.Single(accounts);

        // The identity the host and Durable sign in to storage as.
        Assert.Contains($"userAssignedIdentities/{identity.Name})", TemplateEvaluator.Render(settings["AzureWebJobsStorage__clientId"]), StringComparison.Ordinal);

        Assert.All(storageAssignments, assignment =>
        {
            Assert.EndsWith($"/providers/Microsoft.Storage/storageAccounts/{account}", assignment.Scope, StringComparison.Ordinal);
            Assert.Matches($@"^⟨reference\(/subscriptions/[^)]*/userAssignedIdentities/{identity.Name}\)\.principalId⟩$", TemplateEvaluator.Render(assignment.Property("principalId")));
        });
    }

    [Fact]
    public async Task Key_vault_secrets_are_readable_one_by_one_not_vault_wide()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(
            ("sourceConnectionSecret", "postgresql://u:pw@source.example.com/app"),
            ("deployPostgresServer", false),
            ("targetConnectionSecret", "postgresql://u:pw@target.example.com/app"));
        var vault = Assert.Single(deployment.OfType("Microsoft.KeyVault/vaults")).Name;

        var secretRoles = Assignments(deployment).Where(a => a.Role == KeyVaultSecretsUser).Select(a => a.Scope).Order();

        Assert.Equal(
            new[] { $"Microsoft.KeyVault/vaults/{vault}/secrets/connections-source", $"Microsoft.KeyVault/vaults/{vault}/secrets/connections-target" },
            secretRoles);
    }

    [Fact]
    public async Task Every_role_is_for_the_app_identity_and_scoped_to_a_resource()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(("sourceConnectionSecret", "postgresql://u:pw@source.example.com/app"));
        var identity = Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));

        foreach (var assignment in deployment.OfType("Microsoft.Authorization/roleAssignments"))
        {
            Assert.Equal("ServicePrincipal", assignment.Property("principalType"));
            Assert.Contains($"userAssignedIdentities/{identity.Name}", TemplateEvaluator.Render(assignment.Property("principalId")), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(assignment.Scope), $"{assignment} applies to the whole resource group.");
        }
    }

    private static IEnumerable<(string Role, string Scope)> Assignments(EvaluatedDeployment deployment) =>
        deployment.OfType("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var roleDefinition = TemplateEvaluator.Render(a.Property("roleDefinitionId"));
            Assert.StartsWith("/subscriptions/", roleDefinition, StringComparison.Ordinal);
            // Scopes are full resource ids in the environment's resource group; compare what follows /providers/.
            var scope = a.Scope ?? "";
            const string resourceGroup = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-pgmig-test/providers/";
            Assert.StartsWith(resourceGroup, scope, StringComparison.Ordinal);
            return (roleDefinition[(roleDefinition.LastIndexOf('/') + 1)..], scope[resourceGroup.Length..]);
        });

    private static string StorageAccountIn(string renderedServiceUri)
    {
        var match = System.Text.RegularExpressions.Regex.Match(renderedServiceUri, @"/providers/Microsoft\.Storage/storageAccounts/([^)/]+)\)\.primaryEndpoints\.");
        Assert.True(match.Success, $"Not a storage account endpoint: {renderedServiceUri}");
        return match.Groups[1].Value;
    }

    private sealed record ResourceNames(string Storage, string ApplicationInsights)
    {
        public static ResourceNames Of(EvaluatedDeployment deployment) => new(
            Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts")).Name,
            Assert.Single(deployment.OfType("Microsoft.Insights/components")).Name);
    }
}
