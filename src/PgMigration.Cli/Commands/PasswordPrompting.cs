namespace PgMigration.Cli.Commands;

/// <summary>When pgmigrate asks for a password on the terminal, as psql does by default, with -w and with -W.</summary>
public enum PasswordPrompting
{
    /// <summary>
    /// When a server asks for a password that neither the command line, PGPASSWORD nor ~/.pgpass gave, and
    /// stdin is a terminal.
    /// </summary>
    WhenNeeded,

    /// <summary>Never (--no-password, psql's -w): a server that asks for a password nothing gave fails the sign-in.</summary>
    Never,

    /// <summary>Before connecting (--password, psql's -W), for each server whose password the command line does not give.</summary>
    BeforeConnecting,
}
