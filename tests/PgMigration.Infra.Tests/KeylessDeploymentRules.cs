using System.Text.Json.Nodes;
using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

/// <summary>
/// The no-keys rules every template must pass, as lists of violations (empty means it passes), so the
/// same rules are shown to catch a deliberately key-based template.
/// </summary>
public static class KeylessDeploymentRules
{
    // Fragments that only appear where a storage/service key, SAS token or password is in a setting.
    private static readonly string[] SecretMarkers =
    [
        "AccountKey=", "SharedAccessKey", "SharedAccessSignature", "sig=", "listKeys", "listServiceSas", "listAccountSas",
        "listConnectionStrings", "Password=",
    ];

    // Fragments of a storage account key, SAS or key-based connection string, wherever they appear.
    private static readonly string[] StorageKeyMarkers = ["AccountKey=", "SharedAccessKey=", "SharedAccessSignature="];

    public static IReadOnlyList<string> Violations(JsonObject compiledTemplate, EvaluatedDeployment deployment) =>
    [
        .. KeyFunctionsInTemplate(compiledTemplate),
        .. StorageKeysAnywhere(compiledTemplate, deployment),
        .. KeysInAppSettings(deployment),
        .. StorageAccountsThatAcceptKeys(deployment),
        .. AppsNotLockedToHttps(deployment),
        .. HostStorageWithoutIdentity(deployment),
    ];

    /// <summary>No list*() call that returns keys anywhere in the compiled template.</summary>
    public static IEnumerable<string> KeyFunctionsInTemplate(JsonObject compiledTemplate)
    {
        var json = compiledTemplate.ToJsonString();
        foreach (var function in new[] { "listKeys(", "listServiceSas(", "listAccountSas(", "listConnectionStrings(" })
        {
            if (json.Contains(function, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"The compiled template calls {function}...): keys must not be read at all; grant the identity a role instead.";
            }
        }
    }

    /// <summary>
    /// No storage key, SAS or key-based connection string in the template's text, any deployed resource or
    /// any output: not only app settings, so a key cannot hide in a Key Vault secret, a tag or an output.
    /// </summary>
    public static IEnumerable<string> StorageKeysAnywhere(JsonObject compiledTemplate, EvaluatedDeployment deployment)
    {
        var json = compiledTemplate.ToJsonString();
        foreach (var marker in StorageKeyMarkers.Where(m => json.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"The compiled template holds a storage key or SAS ({marker}).";
        }

        foreach (var resource in deployment.Resources)
        {
            var body = TemplateEvaluator.Render(resource.Body);
            foreach (var marker in StorageKeyMarkers.Where(m => body.Contains(m, StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{resource} holds a storage key or SAS ({marker}).";
            }
        }

        var outputs = TemplateEvaluator.Render(deployment.Outputs);
        foreach (var marker in StorageKeyMarkers.Where(m => outputs.Contains(m, StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"The deployment's outputs hold a storage key or SAS ({marker}).";
        }
    }

    public static IEnumerable<string> KeysInAppSettings(EvaluatedDeployment deployment)
    {
        foreach (var (app, settings) in deployment.AppSettings())
        {
            foreach (var (name, value) in settings)
            {
                var text = TemplateEvaluator.Render(value);
                foreach (var marker in SecretMarkers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return $"App '{app}' setting {name} carries a key or password ({marker}): {text}";
                }
            }
        }
    }

    public static IEnumerable<string> StorageAccountsThatAcceptKeys(EvaluatedDeployment deployment)
    {
        foreach (var account in deployment.OfType("Microsoft.Storage/storageAccounts"))
        {
            if (account.Property("allowSharedKeyAccess") is not false)
            {
                yield return $"Storage account {account.Name}: allowSharedKeyAccess is {Show(account.Property("allowSharedKeyAccess"))}, must be false.";
            }

            if (account.Property("allowBlobPublicAccess") is not false)
            {
                yield return $"Storage account {account.Name}: allowBlobPublicAccess is {Show(account.Property("allowBlobPublicAccess"))}, must be false.";
            }

            if (account.Property("minimumTlsVersion") as string != "TLS1_2")
            {
                yield return $"Storage account {account.Name}: minimumTlsVersion is {Show(account.Property("minimumTlsVersion"))}, must be TLS1_2.";
            }

            if (account.Property("supportsHttpsTrafficOnly") is false)
            {
                yield return $"Storage account {account.Name}: supportsHttpsTrafficOnly is false.";
            }
        }

        foreach (var container in deployment.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"))
        {
            if (container.Property("publicAccess") is string access && access != "None")
            {
                yield return $"Blob container {container.Name}: publicAccess is {access}, must be None.";
            }
        }
    }

    public static IEnumerable<string> AppsNotLockedToHttps(EvaluatedDeployment deployment)
    {
        foreach (var site in deployment.OfType("Microsoft.Web/sites"))
        {
            if (site.Property("httpsOnly") is not true)
            {
                yield return $"App {site.Name}: httpsOnly is {Show(site.Property("httpsOnly"))}, must be true.";
            }

            if (site.Property("siteConfig") is IReadOnlyDictionary<string, object?> config
                && config.TryGetValue("minTlsVersion", out var tls) && tls as string != "1.2")
            {
                yield return $"App {site.Name}: minTlsVersion is {Show(tls)}, must be 1.2.";
            }
        }
    }

    /// <summary>
    /// AzureWebJobsStorage must be the identity-based form: the account name or the blob, queue and table
    /// service URIs (Durable's Azure Storage backend uses all three services), credential, client id.
    /// </summary>
    public static IEnumerable<string> HostStorageWithoutIdentity(EvaluatedDeployment deployment)
    {
        foreach (var (app, settings) in deployment.AppSettings())
        {
            if (settings.ContainsKey("AzureWebJobsStorage"))
            {
                yield return $"App '{app}' sets AzureWebJobsStorage as a connection string; use AzureWebJobsStorage__blobServiceUri, __queueServiceUri and __tableServiceUri with __credential=managedidentity and __clientId.";
            }

            var serviceUris = new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri" };
            if (!settings.ContainsKey("AzureWebJobsStorage__accountName") && !serviceUris.All(uri => settings.ContainsKey($"AzureWebJobsStorage__{uri}")))
            {
                var missing = serviceUris.Where(uri => !settings.ContainsKey($"AzureWebJobsStorage__{uri}")).Select(uri => $"__{uri}");
                yield return $"App '{app}' names no host storage account: AzureWebJobsStorage__accountName, or all of the service URIs (missing {string.Join(", ", missing)}).";
            }

            if (!settings.TryGetValue("AzureWebJobsStorage__credential", out var credential) || credential as string != "managedidentity")
            {
                yield return $"App '{app}': AzureWebJobsStorage__credential must be managedidentity for the user-assigned identity.";
            }

            if (!settings.TryGetValue("AzureWebJobsStorage__clientId", out var clientId)
                || !settings.TryGetValue("AZURE_CLIENT_ID", out var azureClientId)
                || TemplateEvaluator.Render(clientId) != TemplateEvaluator.Render(azureClientId))
            {
                yield return $"App '{app}': AzureWebJobsStorage__clientId must be set to the same identity as AZURE_CLIENT_ID.";
            }
        }
    }

    private static string Show(object? value) => value is null ? "not set" : TemplateEvaluator.Render(value);
}
