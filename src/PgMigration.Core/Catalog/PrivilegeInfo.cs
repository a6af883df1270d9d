namespace PgMigration.Core.Catalog;

/// <summary>The owner and grants of one object, read only with <see cref="CatalogReadOptions.OwnersAndGrants"/>.</summary>
/// <param name="GrantType">The object type as GRANT names it (TABLE, SEQUENCE, FUNCTION, SCHEMA, TYPE ...).</param>
/// <param name="OwnerType">The object type as ALTER ... OWNER TO names it, or null when the owner follows another object (owned sequences).</param>
/// <param name="ObjectSql">The object as SQL: a qualified name or a function signature.</param>
/// <param name="Acl">The explicit grants on the object, or null when it has its default privileges.</param>
/// <param name="ColumnGrants">Grants on single columns of a table or view.</param>
public sealed record PrivilegeInfo(ObjectAddress Address, string GrantType, string? OwnerType, string ObjectSql, string Owner, IReadOnlyList<AclEntry>? Acl, IReadOnlyList<AclEntry> ColumnGrants);

/// <param name="Grantee">Role name, or PUBLIC.</param>
/// <param name="Column">Set for column privileges.</param>
public sealed record AclEntry(string Grantee, string Privilege, bool Grantable, string? Column);

public sealed record CatalogReadOptions
{
    /// <summary>Read owners and grants too. Off by default: the target's roles usually differ from the source's.</summary>
    public bool OwnersAndGrants { get; init; }

    /// <summary>
    /// Read each table's size with its indexes and TOAST (<see cref="TableInfo.TotalBytes"/>). Off by default: the server
    /// opens every table, index and TOAST table to measure them, half a second at 5,000 tables, and only the plan's
    /// listing shows them.
    /// </summary>
    public bool TableSizes { get; init; }
}
