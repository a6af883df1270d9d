using PgMigration.Core.Connections;

namespace PgMigration.Cli.Commands;

/// <summary>
/// A connection given on the command line, with its password from a file when one is named. A password
/// in the connection itself is used, but the user is told that every process list shows it.
/// </summary>
internal static class CommandLineConnection
{
    public static ConnectionSpec Parse(string side, string connection, FileInfo? passwordFile, TextWriter error)
    {
        var spec = ConnectionSpec.Parse(side, connection);
        if (spec.CarriesPassword)
        {
            error.WriteLine(
                $"warning: the --{side} connection carries a password, which other users of this machine can read in the process list (ps) for as long as pgmigrate runs. " +
                $"Leave it out and use --{side}-password-file, PGPASSWORD or ~/.pgpass (mode 0600), or type it when asked on a terminal.");
        }

        if (passwordFile is null)
        {
            return spec;
        }

        if (spec.CarriesPassword)
        {
            throw new UsageException($"The --{side} connection carries a password and --{side}-password-file names another; give only one.");
        }

        if (!passwordFile.Exists)
        {
            throw new UsageException($"The --{side}-password-file '{passwordFile.FullName}' does not exist.");
        }

        // The first line, as psql's PGPASSWORD would hold it: a trailing newline is not part of the password.
        var password = File.ReadLines(passwordFile.FullName).FirstOrDefault()?.TrimEnd('\r');
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException($"The --{side}-password-file '{passwordFile.FullName}' is empty; write the password on its first line.");
        }

        spec.Builder.Password = password;
        return spec;
    }
}
