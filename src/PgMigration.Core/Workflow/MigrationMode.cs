namespace PgMigration.Core.Workflow;

/// <summary>What a migration moves.</summary>
public enum MigrationMode
{
    /// <summary>Schema, then data, then the post-data objects, then verification.</summary>
    All,

    /// <summary>Pre-data and post-data DDL only.</summary>
    Schema,

    /// <summary>Rows only, into tables that already exist on the target.</summary>
    Data,
}
