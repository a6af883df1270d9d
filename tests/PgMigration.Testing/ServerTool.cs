using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PgMigration.Testing;

/// <summary>
/// Runs PostgreSQL's server programs (initdb, pg_ctl) for the clusters tests start themselves. PostgreSQL
/// refuses to run as root; the test harness runs as root and hands such a cluster to 'postgres'.
/// </summary>
public static class ServerTool
{
    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Gives <paramref name="directory"/> to the user the server will run as.</summary>
    public static async Task HandOverAsync(string directory)
    {
        if (IsRoot)
        {
            await RunProcessAsync("chown", "-R", "postgres:postgres", directory);
        }
    }

    /// <summary>Runs <paramref name="tool"/> from PGMIGRATE_TEST_PG_BIN as the server's user; throws with its output when it fails.</summary>
    public static Task RunAsync(string tool, params string[] arguments) =>
        IsRoot ? RunProcessAsync("runuser", ["-u", "postgres", "--", PgTool.Path(tool), .. arguments]) : RunProcessAsync(PgTool.Path(tool), arguments);

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task RunProcessAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
