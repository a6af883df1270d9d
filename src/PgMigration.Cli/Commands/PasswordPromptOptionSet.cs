using System.CommandLine;

namespace PgMigration.Cli.Commands;

/// <summary>psql's -w and -W, for the verbs that sign in to servers: <see cref="PasswordPrompting"/> from the command line.</summary>
internal sealed class PasswordPromptOptionSet
{
    private readonly Option<bool> _noPassword = new("--no-password", "-w")
    {
        Description = "Never ask for a password: a server that wants one that the connection, a password file, PGPASSWORD or ~/.pgpass does not give fails the sign-in (as psql -w).",
    };

    private readonly Option<bool> _password = new("--password", "-W")
    {
        Description = "Ask on the terminal, unseen, for the password of each server whose connection or password file does not give one, before connecting (as psql -W). " +
                      "Without it pgmigrate asks only when a server wants a password nothing gave and stdin is a terminal.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_noPassword);
        command.Options.Add(_password);
        command.Validators.Add(result =>
        {
            if (result.GetValue(_noPassword) && result.GetValue(_password))
            {
                result.AddError("--no-password and --password contradict each other: give one of them.");
            }
        });
    }

    public PasswordPrompting Read(ParseResult parse) =>
        parse.GetValue(_noPassword) ? PasswordPrompting.Never : parse.GetValue(_password) ? PasswordPrompting.BeforeConnecting : PasswordPrompting.WhenNeeded;
}
