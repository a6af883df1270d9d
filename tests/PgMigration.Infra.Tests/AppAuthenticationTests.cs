using PgMigration.Infra.Tests.Arm;

namespace PgMigration.Infra.Tests;

/// <summary>The dashboard and the API in Azure sit behind Entra ID sign-in (App Service authentication).</summary>
public class AppAuthenticationTests
{
    [Fact]
    public async Task Every_request_to_the_function_app_needs_an_Entra_sign_in_of_the_given_app_registration()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();
        var site = Assert.Single(deployment.OfType("Microsoft.Web/sites"));

        var auth = Assert.Single(deployment.OfType("Microsoft.Web/sites/config"), r => r.Name.EndsWith("/authsettingsV2", StringComparison.Ordinal));
        Assert.Equal($"{site.Name}/authsettingsV2", auth.Name);
        Assert.Equal(true, Map(auth.Property("platform"))["enabled"]);

        var validation = Map(auth.Property("globalValidation"));
        Assert.Equal(true, validation["requireAuthentication"]);
        Assert.Equal("RedirectToLoginPage", validation["unauthenticatedClientAction"]);
        Assert.Equal("azureactivedirectory", validation["redirectToProvider"]);
        Assert.False(validation.ContainsKey("excludedPaths"), "A path is open without sign-in.");

        var entra = Map(Map(auth.Property("identityProviders"))["azureActiveDirectory"]);
        Assert.Equal(true, entra["enabled"]);
        var registration = Map(entra["registration"]);
        Assert.Equal(CompiledTemplates.AuthClientId, registration["clientId"]);
        Assert.EndsWith("/v2.0", TemplateEvaluator.Render(registration["openIdIssuer"]), StringComparison.Ordinal);
        Assert.False(registration.ContainsKey("clientSecretSettingName"), "Sign-in uses a client secret; the deployment keeps no secrets.");
        var audiences = Assert.IsType<IEnumerable<object?>>(Map(entra["validation"])["allowedAudiences"], exactMatch: false);
        Assert.Contains($"api://{CompiledTemplates.AuthClientId}", audiences);
        Assert.Equal(true, Map(auth.Property("httpSettings"))["requireHttps"]);
    }

    private static IReadOnlyDictionary<string, object?> Map(object? value) =>
        Assert.IsType<IReadOnlyDictionary<string, object?>>(value, exactMatch: false);
}
