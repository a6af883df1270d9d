using System.Diagnostics;
using System.Text;

namespace PgMigration.Cli.Tests;

/// <summary>
/// pgmigrate run on a pseudo-terminal, as a user at a terminal runs it: util-linux's script(1) gives it
/// one and copies what a test types to it. What the terminal shows (what pgmigrate prints, and any echo
/// of the keys typed) is captured as it comes, prompts included.
/// </summary>
public sealed class PgMigrateOnTerminal : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly Task _reading;

    private PgMigrateOnTerminal(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            var buffer = new char[1024];
            int read;
            while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_screen)
                {
                    _screen.Append(buffer, 0, read);
                }
            }
        });
    }

    /// <summary>All the terminal has shown so far.</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
            {
                return _screen.ToString();
            }
        }
    }

    public static PgMigrateOnTerminal Start(string home, params string[] arguments)
    {
        // script runs the command through a shell: every argument is quoted for it.
        var command = string.Join(' ', new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "pgmigrate.dll") }.Concat(arguments).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the developer's environment may supply a password the test did not give.
        start.Environment.Remove("PGPASSWORD");
        start.Environment.Remove("PGPASSFILE");
        start.Environment["HOME"] = home;
        start.Environment["TERM"] = "dumb";
        var process = Process.Start(start) ?? throw new InvalidOperationException("script(1) did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new PgMigrateOnTerminal(process);
    }

    /// <summary>Waits until the terminal shows <paramref name="text"/> (after <paramref name="after"/> characters of it).</summary>
    public async Task WaitForAsync(string text, int after = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (Screen.IndexOf(text, after, StringComparison.Ordinal) < 0)
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                await Task.Delay(200);
                throw new TimeoutException($"The terminal never showed '{text}'. It shows:\n{Screen}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Types <paramref name="line"/> and Enter, as keys reach a terminal.</summary>
    public async Task TypeLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\r");
        await _process.StandardInput.FlushAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _process.WaitForExitAsync(timeout.Token);
        await _reading;
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
