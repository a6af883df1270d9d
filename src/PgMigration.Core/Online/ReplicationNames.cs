using System.Security.Cryptography;
using System.Text;

namespace PgMigration.Core.Online;

/// <summary>
/// The slot and publication of one migration, named from its id alone: a cancel or a rerun finds them
/// even when the checkpoint that recorded them is gone. Slot names allow lower-case letters, digits and
/// underscores, at most 63 of them.
/// </summary>
internal static class ReplicationNames
{
    public const string Prefix = "pgmigrate_";

    public static string Slot(string migrationId, string sourceDatabase) => Name(migrationId, sourceDatabase);

    public static string Publication(string migrationId, string sourceDatabase) => Name(migrationId, sourceDatabase);

    // The database is part of the name: slots are per cluster, and two migrations with the same id
    // (the command line's is always "migrate") can move two databases of one cluster at once.
    private static string Name(string migrationId, string sourceDatabase)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{migrationId}\n{sourceDatabase}")))[..12];
        var readable = new string(migrationId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(30).ToArray());
        return $"{Prefix}{readable}_{hash}";
    }
}
