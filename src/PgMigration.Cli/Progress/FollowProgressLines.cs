using System.Diagnostics;
using PgMigration.Core.Online;

namespace PgMigration.Cli.Progress;

/// <summary>The follow phase on the terminal: a line with lag, changes applied and their rate every few seconds.</summary>
internal sealed class FollowProgressLines(TextWriter error)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch sinceLast = new();

    public void Report(ReplicationProgress progress)
    {
        lock (sinceLast)
        {
            if (sinceLast.IsRunning && sinceLast.Elapsed < Interval)
            {
                return;
            }

            sinceLast.Restart();
        }

        error.WriteLine($"  following: {progress.Describe()}");
    }
}
