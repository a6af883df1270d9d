using Npgsql;

namespace PgMigration.Core.Connections;

/// <summary>
/// The password file (~/.pgpass) a connection would read, found as libpq and Npgsql find it: the
/// <c>Passfile</c> keyword, else <c>PGPASSFILE</c>, else the user's default file. Like libpq on Unix, a
/// file that group or others can read is not used: its passwords are no longer only the user's.
/// </summary>
internal static class PasswordFile
{
    private const UnixFileMode GroupOrWorld =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>A file that yields no entry: what a connection reads instead of a file it must ignore.</summary>
    internal const string Empty = "/dev/null";

    public static string? PathFor(NpgsqlConnectionStringBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Passfile))
        {
            return builder.Passfile;
        }

        if (Environment.GetEnvironmentVariable("PGPASSFILE") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        return OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "postgresql", "pgpass.conf")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pgpass");
    }

    /// <summary>libpq's warning for a password file it ignores, or null when the file may be used (or is not there).</summary>
    public static string? TooOpenWarning(string? path)
    {
        if (path is null || OperatingSystem.IsWindows() || !File.Exists(path) || path == Empty)
        {
            return null;
        }

        return (File.GetUnixFileMode(path) & GroupOrWorld) == 0
            ? null
            : $"WARNING: password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less";
    }
}
