namespace PgMigration.Infra.Tests.Bicep;

/// <summary>One error, warning or info the Bicep compiler or linter reported.</summary>
public sealed record BicepDiagnostic(string File, int Line, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line}) : {Level} {Code}: {Message}";
}
