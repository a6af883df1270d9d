using PgMigration.Core.Schema;

namespace PgMigration.Core.Catalog;

/// <summary>A schema-qualified name. <see cref="ToString"/> is the quoted SQL form.</summary>
public sealed record QualifiedName(string Schema, string Name)
{
    public string Sql => SqlText.Qualified(Schema, Name);

    public override string ToString() => Sql;
}
