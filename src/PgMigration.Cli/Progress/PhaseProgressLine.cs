using System.Diagnostics;
using System.Globalization;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Cli.Progress;

/// <summary>
/// The progress of the phases after the data copy (post-data, verify) as one line: tables done of total,
/// bytes hashed, and what runs now. On a terminal it is redrawn in place; otherwise written when it
/// changes, at most every five seconds, and once more at the end.
/// </summary>
internal sealed class PhaseProgressLine(TextWriter writer, bool interactive)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private readonly Stopwatch sinceWritten = Stopwatch.StartNew();
    private string? shown;
    private string? pending;

    public void Show(WorkflowProgress progress)
    {
        var line = Text(progress);
        if (line is null || line == shown)
        {
            return;
        }

        if (interactive)
        {
            writer.Write($"\r\u001b[2K{line}");
            writer.Flush();
            shown = line;
            return;
        }

        // The first line waits for the first step to start, so that it says what runs.
        pending = line;
        if ((shown is null ? progress.Running.Count > 0 : sinceWritten.Elapsed >= PlainInterval) || progress.Done == progress.Total)
        {
            WritePending();
        }
    }

    /// <summary>Ends the line: on a terminal keeps its last frame; otherwise writes the last state not yet written.</summary>
    public void End()
    {
        if (interactive && shown is not null)
        {
            writer.WriteLine();
            shown = null;
        }
        else if (!interactive && pending is not null)
        {
            WritePending();
        }

        writer.Flush();
    }

    /// <summary>What a running step does, in words: <c>building index orders_pkey ON sales.orders</c>.</summary>
    public static string Describe(RunningWork work) => work.Kind switch
    {
        WorkKind.Index => $"building index {work.Name ?? "of " + work.Table}",
        WorkKind.ForeignKey => $"adding foreign key {work.Name ?? "of " + work.Table}",
        WorkKind.Analyze => $"ANALYZE {work.Table}",
        WorkKind.Verify => $"verifying {work.Table}",
        WorkKind.VerifyLargeObjects => $"verifying large objects {work.Name}",
        _ => work.Table.Sql,
    };

    private void WritePending()
    {
        if (pending != shown)
        {
            writer.WriteLine(pending);
        }

        shown = pending;
        pending = null;
        sinceWritten.Restart();
    }

    private static string? Text(WorkflowProgress progress)
    {
        var now = progress.Running.Count > 0 ? $"; now: {string.Join(", ", progress.Running.Select(Describe))}" : string.Empty;
        return progress.Phase switch
        {
            MigrationPhase.Verify => string.Create(CultureInfo.InvariantCulture,
                $"Verify: {progress.Done}/{progress.Total} tables, {progress.BytesDone / 1e6:N1} of {progress.BytesTotal / 1e6:N1} MB hashed{now}"),
            MigrationPhase.PostData when progress.Total > 0 => string.Create(CultureInfo.InvariantCulture, $"Post-data: {progress.Done}/{progress.Total} steps{now}"),
            _ => null,
        };
    }
}
