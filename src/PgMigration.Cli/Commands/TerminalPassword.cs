using System.Text;

namespace PgMigration.Cli.Commands;

/// <summary>Reads a password typed on the terminal without showing it, as psql's prompt does.</summary>
internal static class TerminalPassword
{
    /// <summary>Whether someone can be asked: stdin is a terminal, not a pipe, a file or /dev/null.</summary>
    public static bool IsInteractive => !Console.IsInputRedirected;

    /// <summary>Shows <paramref name="prompt"/> on <paramref name="error"/> and reads up to Enter, echoing nothing.</summary>
    public static string Read(string prompt, TextWriter error)
    {
        error.Write(prompt);
        error.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter || key.KeyChar is '\r' or '\n' || (key.KeyChar == '\u0004' && password.Length == 0))
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace || key.KeyChar == '\u007f')
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        error.WriteLine();
        return password.ToString();
    }
}
