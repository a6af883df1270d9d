namespace PgMigration.Infra.Tests.Arm;

/// <summary>
/// A value only Azure knows while deploying (a resource's runtime property, a listKeys() result). The
/// evaluator carries it symbolically, so assertions can still see where a setting's value comes from.
/// </summary>
public sealed record DeploymentTimeValue(string Description)
{
    public override string ToString() => $"⟨{Description}⟩";
}
