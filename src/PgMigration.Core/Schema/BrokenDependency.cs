namespace PgMigration.Core.Schema;

/// <summary>An included object that needs one the filters leave out (a foreign key to an excluded table, a view on one).</summary>
public sealed record BrokenDependency(string Dependent, string Excluded)
{
    public override string ToString() => $"{Dependent} depends on {Excluded}, which the filters exclude";
}
