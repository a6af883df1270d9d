using PgMigration.Core.Connections;

namespace PgMigration.Cli.Commands;

/// <summary>
/// Signs in to a command's servers as psql does: the password from the connection, a password file,
/// PGPASSWORD or ~/.pgpass; when a server asks for one that none of those gave and stdin is a terminal,
/// the user is asked for it, unseen. <see cref="PasswordPrompting"/> turns the asking off (-w) or
/// moves it before connecting (-W). A typed password lives only in this process's connections.
/// </summary>
internal static class CommandLineSignIn
{
    /// <summary>Source and target at once; when both fail, the source's error is the one reported. The caller disposes both.</summary>
    public static async Task<(SignedInServer Source, SignedInServer Target)> SignInToBothAsync(
        string source, FileInfo? sourcePasswordFile, string target, FileInfo? targetPasswordFile, PasswordPrompting prompting, TextWriter error, CancellationToken cancellationToken)
    {
        var servers = await SignInAsync(
            [new ServerArgument("source", source, sourcePasswordFile), new ServerArgument("target", target, targetPasswordFile)], prompting, error, cancellationToken);
        return (servers[0], servers[1]);
    }

    /// <returns>The servers in the order given, each probed with one connection; the caller disposes them.</returns>
    public static async Task<IReadOnlyList<SignedInServer>> SignInAsync(
        IReadOnlyList<ServerArgument> servers, PasswordPrompting prompting, TextWriter error, CancellationToken cancellationToken)
    {
        var specs = servers.Select(s => CommandLineConnection.Parse(s.Side, s.Connection, s.PasswordFile, error)).ToList();
        if (prompting == PasswordPrompting.BeforeConnecting)
        {
            foreach (var spec in specs.Where(s => s.Authentication == AuthenticationKind.Password && !s.CarriesPassword))
            {
                if (!TerminalPassword.IsInteractive)
                {
                    throw new UsageException(
                        $"--password asks for the {spec.Name} password on the terminal, and stdin is not one. " +
                        $"Give it with --{spec.Name}-password-file, PGPASSWORD or ~/.pgpass (mode 0600) instead.");
                }

                spec.Builder.Password = Ask(spec, error);
            }
        }

        var signedIn = specs.Select(spec => new SignedInServer(spec, DataSourceFactory.Create(spec, warn: error.WriteLine))).ToList();
        try
        {
            // Every sign-in at once. A server that is unreachable or refuses the login is reported before
            // anyone is asked for a password, and when several fail, the first one's error is the one reported.
            var failures = await Task.WhenAll(signedIn.Select(s => FailureOfAsync(s, cancellationToken)));
            if (failures.FirstOrDefault(f => f is not null && !ConnectionProbe.IsMissingPassword(f)) is { } failure)
            {
                throw failure;
            }

            for (var i = 0; i < signedIn.Count; i++)
            {
                if (failures[i] is { } missing)
                {
                    signedIn[i] = await SignInAskingAsync(signedIn[i], missing, prompting, error, cancellationToken);
                }
            }

            return signedIn;
        }
        catch
        {
            foreach (var server in signedIn)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<ConnectionFailedException?> FailureOfAsync(SignedInServer server, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectionProbe.CheckAsync(server.Data, server.Spec, cancellationToken);
            return null;
        }
        catch (ConnectionFailedException ex)
        {
            return ex;
        }
    }

    // psql's rule: a wrong password is not asked again (the server's 28P01 is reported), a missing one is asked for once.
    private static async Task<SignedInServer> SignInAskingAsync(
        SignedInServer server, ConnectionFailedException missing, PasswordPrompting prompting, TextWriter error, CancellationToken cancellationToken)
    {
        var spec = server.Spec;
        if (prompting == PasswordPrompting.Never || !TerminalPassword.IsInteractive || spec.Authentication != AuthenticationKind.Password)
        {
            var why = prompting == PasswordPrompting.Never
                ? "pgmigrate does not ask for it with --no-password"
                : "pgmigrate asks for it only on a terminal, and stdin is not one";
            throw new ConnectionFailedException(
                $"Cannot connect to the {spec.Name} server {spec.Display}: the server asks for a password and none was given, and {why}. " +
                $"Give it with --{spec.Name}-password-file, PGPASSWORD or ~/.pgpass (mode 0600), or run pgmigrate on a terminal{(prompting == PasswordPrompting.Never ? " without --no-password" : string.Empty)} to be asked for it.",
                missing.InnerException ?? missing);
        }

        var password = Ask(spec, error);
        if (password.Length == 0)
        {
            throw new ConnectionFailedException(
                $"Cannot connect to the {spec.Name} server {spec.Display}: the server asks for a password and none was entered.", missing.InnerException ?? missing);
        }

        await server.DisposeAsync();
        spec.Builder.Password = password;
        var asked = new SignedInServer(spec, DataSourceFactory.Create(spec, warn: error.WriteLine));
        try
        {
            await ConnectionProbe.CheckAsync(asked.Data, spec, cancellationToken);
            return asked;
        }
        catch
        {
            await asked.DisposeAsync();
            throw;
        }
    }

    private static string Ask(ConnectionSpec spec, TextWriter error)
    {
        var user = spec.Builder.Username is { Length: > 0 } named ? named : Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        return TerminalPassword.Read($"Password for user {user} on {spec.Builder.Host}:{spec.Builder.Port} ({spec.Name}): ", error);
    }
}
