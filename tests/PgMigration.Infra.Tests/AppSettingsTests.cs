using System.Text.RegularExpressions;
using PgMigration.Core.Api;
using PgMigration.Core.Connections;
using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

public partial class AppSettingsTests
{
    private const string SourcePassword = "Sup3r-secret-pw";
    private const string SourceWithPassword = $"postgresql://migrator:{SourcePassword}@source.example.com/app?sslmode=require";

    [Fact]
    public async Task Every_setting_the_functions_host_needs_is_provided()
    {
        var settings = await SettingsAsync();

        var missing = AppSettingNames.RequiredByFunctionsHost
            .Where(name => !settings.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(TemplateEvaluator.Render(value)))
            .ToList();

        Assert.True(missing.Count == 0, $"Settings the app cannot start without are missing or empty: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Every_setting_host_json_refers_to_is_provided()
    {
        var hostJson = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "host.json"));
        var settings = await SettingsAsync();

        var referenced = HostJsonSettingReference().Matches(hostJson).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains(AppSettingNames.TaskHubName, referenced);
        Assert.All(referenced, name => Assert.True(settings.ContainsKey(name), $"host.json reads %{name}%, which the deployment does not set."));

        // The connection Durable's Azure Storage provider uses must be the identity-based form of a
        // setting collection: blob, queue and table URIs, the managed identity credential and its client id.
        var connection = DurableStorageConnectionName(hostJson);
        var expected = new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri", "credential", "clientId" }.Select(part => $"{connection}__{part}");
        var missing = expected.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, $"Durable's storage provider connects through '{connection}', but the deployment does not set: {string.Join(", ", missing)}");
        Assert.False(settings.ContainsKey(connection), $"'{connection}' is set as a connection string; the account refuses keys, so only the identity-based {connection}__* form works.");
    }

    [Fact]
    public async Task Host_json_is_the_one_place_that_chooses_the_durable_backend()
    {
        var settings = await SettingsAsync();

        // An app setting AzureFunctionsJobHost__extensions__durableTask__... would silently override host.json.
        var overrides = settings.Keys.Where(name => name.StartsWith("AzureFunctionsJobHost__extensions__durableTask", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(overrides.Count == 0, "App settings override host.json's durableTask section: " + string.Join(", ", overrides));
    }

    [Fact]
    public async Task Durable_and_the_host_reach_blobs_queues_and_tables_of_the_app_storage_account_as_the_identity()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var settings = Assert.Single(deployment.AppSettings()).Settings;
        var account = Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts"));

        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var uri = TemplateEvaluator.Render(settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
            Assert.Matches($@"^⟨reference\(/subscriptions/[^)]*/providers/Microsoft\.Storage/storageAccounts/{account.Name}\)\.primaryEndpoints\.{service}⟩$", uri);
        }

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        var clientId = TemplateEvaluator.Render(settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(TemplateEvaluator.Render(settings[AppSettingNames.ManagedIdentityClientId]), clientId);
        Assert.Matches(@"userAssignedIdentities/[^)]+\)\.clientId⟩$", clientId);
        Assert.Equal("pgmigrate", settings[AppSettingNames.TaskHubName]);
    }

    [Fact]
    public async Task Settings_flex_consumption_rejects_are_not_set()
    {
        // On Flex Consumption the runtime and its version come from functionAppConfig.runtime, and the
        // platform refuses these app settings.
        var settings = await SettingsAsync();
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", settings.Keys);
    }

    [Fact]
    public async Task Host_storage_and_checkpoints_use_the_identity_not_a_connection_string()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var settings = Assert.Single(deployment.AppSettings()).Settings;
        var account = Assert.Single(deployment.OfType("Microsoft.Storage/storageAccounts"));

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(settings[AppSettingNames.ManagedIdentityClientId], settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(settings["AzureWebJobsStorage__blobServiceUri"], settings["Checkpoints__BlobServiceUri"]);
        Assert.Contains($"storageAccounts/{account.Name})", TemplateEvaluator.Render(settings["Checkpoints__BlobServiceUri"]), StringComparison.Ordinal);
        Assert.Equal(AppSettingNames.DefaultCheckpointsContainer, settings["Checkpoints__Container"]);
        Assert.Equal(
            $"ClientId={TemplateEvaluator.Render(settings[AppSettingNames.ManagedIdentityClientId])};Authorization=AAD",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public async Task Created_target_server_is_reached_as_the_identity_with_entra_and_verified_tls()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(("deployPostgresServer", true));
        var settings = Assert.Single(deployment.AppSettings()).Settings;
        var identity = Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));

        Assert.Matches(
            $"^postgresql://{identity.Name}@⟨reference\\(.*/flexibleServers/psql-[a-z0-9]+\\)\\.fullyQualifiedDomainName⟩/migrated\\?sslmode=verify-full&auth=entra$",
            TemplateEvaluator.Render(settings["Connections__target"]));
        Assert.Equal(CompiledTemplates.EntraSource, settings["Connections__source"]);
    }

    [Fact]
    public async Task A_chosen_identity_name_is_the_postgres_role_of_the_created_target()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(("identityName", "pgmigrate-prod-app"));
        var settings = Assert.Single(deployment.AppSettings()).Settings;

        Assert.Equal("pgmigrate-prod-app", Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities")).Name);
        Assert.StartsWith("postgresql://pgmigrate-prod-app@", TemplateEvaluator.Render(settings["Connections__target"]), StringComparison.Ordinal);
        Assert.Equal("pgmigrate-prod-app", Assert.Single(deployment.OfType("Microsoft.DBforPostgreSQL/flexibleServers/administrators")).Property("principalName"));
    }

    [Fact]
    public async Task Source_with_a_password_is_a_key_vault_reference_never_a_plain_setting()
    {
        var deployment = await CompiledTemplates.DeployMainAsync(("sourceConnection", ""), ("sourceConnectionSecret", SourceWithPassword));
        var settings = Assert.Single(deployment.AppSettings()).Settings;
        var vault = Assert.Single(deployment.OfType("Microsoft.KeyVault/vaults"));
        var secret = Assert.Single(deployment.OfType("Microsoft.KeyVault/vaults/secrets"));

        Assert.Equal($"@Microsoft.KeyVault(VaultName={vault.Name};SecretName=connections-source)", settings["Connections__source"]);
        Assert.Equal($"{vault.Name}/connections-source", secret.Name);
        Assert.Equal(SourceWithPassword, secret.Property("value"));
        Assert.Equal(true, vault.Property("enableRbacAuthorization"));
        var site = Assert.Single(deployment.OfType("Microsoft.Web/sites"));
        Assert.EndsWith("/userAssignedIdentities/" + Assert.Single(deployment.OfType("Microsoft.ManagedIdentity/userAssignedIdentities")).Name,
            TemplateEvaluator.Render(site.Property("keyVaultReferenceIdentity")), StringComparison.Ordinal);

        // The password is in the secret and nowhere else: not in settings, outputs or any other resource.
        var elsewhere = deployment.Resources.Where(r => r != secret && TemplateEvaluator.Render(r.Body).Contains(SourcePassword, StringComparison.Ordinal)).ToList();
        Assert.True(elsewhere.Count == 0, "The password leaks into: " + string.Join(", ", elsewhere));
        Assert.DoesNotContain(SourcePassword, TemplateEvaluator.Render(deployment.Outputs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploying_without_a_source_fails_before_anything_is_created_and_says_how_to_fix_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CompiledTemplates.DeployMainAsync(("sourceConnection", "")));

        Assert.Contains("parameter 'sourceConnectionSetting' is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains("set PGMIGRATE_SOURCE (no password) or PGMIGRATE_SOURCE_SECRET", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sourceConnection", "postgresql://migrator:" + SourcePassword + "@source.example.com/app")]
    [InlineData("sourceConnection", "postgresql://source.example.com/app?user=migrator&password=" + SourcePassword)]
    [InlineData("sourceConnection", "Host=source.example.com;Username=migrator;Password=" + SourcePassword)]
    [InlineData("targetConnection", "postgres://migrator:" + SourcePassword + "@target.example.com:5432/app")]
    public async Task A_password_in_a_plain_connection_parameter_is_refused_before_it_reaches_the_app(string parameter, string connection)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CompiledTemplates.DeployMainAsync(("deployPostgresServer", false), ("targetConnection", "postgresql://migrator@target.example.com/app"), (parameter, connection)));

        var setting = parameter == "sourceConnection" ? "sourceConnectionSetting" : "targetConnectionSetting";
        Assert.Contains($"parameter '{setting}' is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains("_SECRET (with password, kept in Key Vault)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SourcePassword, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://migrator@source.example.com:5432/app?sslmode=verify-full&auth=entra")]
    [InlineData("postgresql://source.example.com:5432/app?application_name=a:b@c")]
    [InlineData("Host=source.example.com;Username=migrator;Auth=Entra")]
    public async Task Connections_without_a_password_pass_through_unchanged(string connection)
    {
        var settings = await SettingsAsync(("sourceConnection", connection));
        Assert.Equal(connection, settings["Connections__source"]);
    }

    [Fact]
    public async Task Deploying_without_a_target_fails_when_no_server_is_created()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CompiledTemplates.DeployMainAsync(("deployPostgresServer", false)));

        Assert.Contains("parameter 'targetConnectionSetting' is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains("PGMIGRATE_TARGET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_secrets_no_key_vault_is_created()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        Assert.Empty(deployment.OfType("Microsoft.KeyVault/vaults"));
    }

    [Fact]
    public async Task Every_app_setting_has_a_comment_saying_why()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "infra", "modules", "function-app.bicep"));
        var uncommented = new List<string>();
        var commentChecked = new List<string>();
        var inSettings = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (SettingsBlockStart().IsMatch(line))
            {
                inSettings = true;
                continue;
            }

            if (inSettings && line == "}")
            {
                inSettings = false;
                continue;
            }

            if (inSettings && SettingLine().Match(line) is { Success: true } setting)
            {
                commentChecked.Add(setting.Groups[1].Value);
                if (!lines[i - 1].Trim().StartsWith("//", StringComparison.Ordinal))
                {
                    uncommented.Add(setting.Groups[1].Value);
                }
            }
        }

        // Every deployed setting must come from a block this test read, or it escaped the comment check.
        var deployed = (await SettingsAsync()).Keys;
        var notChecked = deployed.Except(commentChecked, StringComparer.Ordinal).ToList();
        Assert.True(notChecked.Count == 0, "Settings deployed from outside a 'var ...Settings = {' block of function-app.bicep: " + string.Join(", ", notChecked));
        Assert.True(uncommented.Count == 0, "Settings without a comment: " + string.Join(", ", uncommented));
    }

    /// <summary>host.json's storageProvider connection; like the extension, AzureWebJobsStorage when none is named.</summary>
    internal static string DurableStorageConnectionName(string hostJson)
    {
        var provider = System.Text.Json.Nodes.JsonNode.Parse(hostJson)!["extensions"]?["durableTask"]?["storageProvider"];
        return (provider?["connectionName"] ?? provider?["connectionStringName"])?.GetValue<string>() ?? "AzureWebJobsStorage";
    }

    private static async Task<IReadOnlyDictionary<string, object?>> SettingsAsync(params (string Name, object? Value)[] parameters) =>
        Assert.Single((await CompiledTemplates.DeployMainAsync(parameters)).AppSettings()).Settings;

    [GeneratedRegex(@"%(\w+)%")]
    private static partial Regex HostJsonSettingReference();

    [GeneratedRegex(@"^var \w+Settings = \{$")]
    private static partial Regex SettingsBlockStart();

    [GeneratedRegex(@"^(\w+):\s")]
    private static partial Regex SettingLine();
}
