using System.Diagnostics;
using System.Text;

namespace PgMigration.Cli.Tests;

/// <summary>The built pgmigrate, run as a real child process (so it can really be killed).</summary>
internal sealed class PgMigrateProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private PgMigrateProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static PgMigrateProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pgmigrate.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var wrapper = new PgMigrateProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper._output, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var process = Start(arguments);
        var exitCode = await process.WaitForExitAsync();
        return (exitCode, process.Output, process.Error);
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no cleanup, no flushing, exactly like a crashed machine from the process's view.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
