namespace PgMigration.Infra.Tests.Arm;

/// <summary>The made-up subscription a template is evaluated against, as `what-if` would use a real one.</summary>
public sealed record DeploymentContext(
    string SubscriptionId = "00000000-0000-0000-0000-000000000001",
    string TenantId = "00000000-0000-0000-0000-00000000000a",
    string Location = "swedencentral",
    string ResourceGroup = "rg-under-test",
    string DeploymentName = "main");
