namespace PgMigration.Core.Catalog;

/// <summary>What a table's UPDATE and DELETE records carry to identify the old row (pg_class.relreplident).</summary>
public enum ReplicaIdentity
{
    /// <summary>The primary key, if any.</summary>
    Default,

    /// <summary>Nothing: updates and deletes cannot be replicated.</summary>
    Nothing,

    /// <summary>The whole old row.</summary>
    Full,

    /// <summary>The columns of the index marked indisreplident.</summary>
    Index,
}
