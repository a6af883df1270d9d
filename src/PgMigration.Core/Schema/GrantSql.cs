using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>The statements that give an object exactly the grants it has on the source.</summary>
internal static class GrantSql
{
    /// <summary>
    /// Starts from nothing, as pg_dump does, then grants exactly <paramref name="acl"/>, so the target's
    /// list equals the source's whatever the target's defaults are.
    /// </summary>
    /// <param name="grantType">The object type as GRANT names it (TABLE, FUNCTION, LARGE OBJECT ...).</param>
    public static IEnumerable<string> Exactly(string grantType, string objectSql, string owner, IReadOnlyList<AclEntry> acl)
    {
        yield return $"REVOKE ALL ON {grantType} {objectSql} FROM PUBLIC";
        yield return $"REVOKE ALL ON {grantType} {objectSql} FROM {SqlText.Identifier(owner)}";
        foreach (var grant in acl.GroupBy(a => (a.Grantee, a.Grantable)))
        {
            yield return $"GRANT {string.Join(", ", grant.Select(a => a.Privilege))} ON {grantType} {objectSql} TO {Role(grant.Key.Grantee)}{(grant.Key.Grantable ? " WITH GRANT OPTION" : string.Empty)}";
        }
    }

    /// <summary>A grantee as SQL: PUBLIC, or a quoted role name.</summary>
    public static string Role(string role) => role == "PUBLIC" ? role : SqlText.Identifier(role);
}
