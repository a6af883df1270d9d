using System.Data.Common;

namespace PgMigration.Core.Catalog;

/// <summary>Reads an aclitem[] as <see cref="AclEntry"/> records: three columns in the query, one list in C#.</summary>
internal static class AclSql
{
    /// <summary>Four columns for the ACL expression <paramref name="acl"/>: whether it is set, grantees, privileges, grant options.</summary>
    public static string Columns(string acl) =>
        $"{acl} IS NOT NULL, " +
        $"ARRAY(SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END FROM pg_catalog.aclexplode({acl}) x), " +
        $"ARRAY(SELECT x.privilege_type::text FROM pg_catalog.aclexplode({acl}) x), ARRAY(SELECT x.is_grantable FROM pg_catalog.aclexplode({acl}) x)";

    /// <summary>The grants of the <see cref="Columns"/> starting at <paramref name="first"/>, or null when the object has its default privileges.</summary>
    public static List<AclEntry>? Read(DbDataReader reader, int first)
    {
        if (!reader.GetBoolean(first))
        {
            return null;
        }

        var grantees = reader.GetFieldValue<string[]>(first + 1);
        var privileges = reader.GetFieldValue<string[]>(first + 2);
        var grantable = reader.GetFieldValue<bool[]>(first + 3);
        return grantees.Select((g, i) => new AclEntry(g, privileges[i], grantable[i], null)).ToList();
    }
}
