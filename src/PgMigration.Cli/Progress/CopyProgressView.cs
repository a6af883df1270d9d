using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PgMigration.Core.Catalog;
using PgMigration.Core.Copy;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Cli.Progress;

/// <summary>
/// Shows the data copy while it runs: on a terminal, a bar per table in progress (rows, bytes, rate, ETA)
/// redrawn in place; otherwise a plain line per table every few seconds. Ends with a summary table.
/// </summary>
internal sealed class CopyProgressView
{
    private const int BarWidth = 24;
    private const int MaxBars = 12;

    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly ConcurrentDictionary<QualifiedName, TableTally> _tables = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _drawing = new();
    private int _linesDrawn;
    private IReadOnlyList<RunningWork> _running = [];
    private readonly ConcurrentDictionary<QualifiedName, (IndexBuildProgress Progress, TimeSpan At)> _indexBuilds = new();

    public CopyProgressView(DataPlan plan, TextWriter writer, bool interactive)
    {
        _writer = writer;
        _interactive = interactive;
        var chunks = plan.ChunksByTable();
        foreach (var table in plan.Tables)
        {
            _tables[table.Id] = new TableTally(table, chunks[table.Id].Count());
        }

        if (plan.LargeObjects is { } largeObjects)
        {
            // Shown as the table they live in, an object a row.
            _tables[LargeObjectPlan.Table] = new TableTally(largeObjects.Layout, largeObjects.Sets.Count);
        }
    }

    /// <summary>From the first chunk's start to the last chunk's commit: the row copy alone, for comparing with raw COPY.</summary>
    public double CopySeconds
    {
        get
        {
            var started = _tables.Values.Where(t => t.Started).ToList();
            return started.Count == 0 ? 0 : (started.Max(t => t.LastSeen) - started.Min(t => t.FirstSeen)).TotalSeconds;
        }
    }

    public long TotalRows => _tables.Values.Sum(t => t.Rows);

    public long TotalBytes => _tables.Values.Sum(t => t.Bytes);

    /// <summary>Of <see cref="TotalBytes"/>, what an earlier run had copied before this one resumed.</summary>
    public long ResumedBytes => _tables.Values.Sum(t => t.ResumedBytes);

    public static bool IsTerminal => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    public void Report(ChunkProgress progress)
    {
        var tally = _tables[progress.Chunk.Table];
        tally.Add(progress.Rows, progress.Bytes, progress.ChunkDone, progress.Resumed, _clock.Elapsed);
    }

    /// <summary>Index builds, foreign keys and ANALYZE running beside the copies; shown under the bars.</summary>
    public void Working(IReadOnlyList<RunningWork> running) => _running = running;

    /// <summary>What the server reports of an index build (pg_stat_progress_create_index): shown beside its step.</summary>
    public void IndexBuilding(IndexBuildProgress progress) => _indexBuilds[progress.Table] = (progress, _clock.Elapsed);

    /// <summary>Redraws until cancelled: every quarter second on a terminal, every five seconds otherwise.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = _interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(5);
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                Draw();
            }
        }
        catch (OperationCanceledException)
        {
            Draw();
        }
    }

    public string Summary()
    {
        var rows = _tables.Values.OrderByDescending(t => t.Bytes).ThenBy(t => t.Layout.DisplayName, StringComparer.Ordinal).ToList();
        var width = Math.Max(5, rows.Count == 0 ? 0 : rows.Max(t => t.Layout.DisplayName.Length));
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{"table".PadRight(width)}  {"rows",14}  {"MB",10}  {"chunks",7}  {"seconds",8}  {"MB/s",8}  format"));
        foreach (var table in rows)
        {
            var seconds = table.Seconds;
            text.AppendLine(Invariant(
                $"{table.Layout.DisplayName.PadRight(width)}  {table.Rows,14:N0}  {table.Bytes / 1e6,10:N1}  {table.ChunksDone,3}/{table.Chunks,-3}  {seconds,8:N1}  {(seconds > 0 ? table.CopiedBytes / 1e6 / seconds : 0),8:N1}  {(table.Layout.UsesTextFormat ? "text" : "binary")}{(table.ResumedRows > 0 ? Invariant($"  resumed: {table.ResumedRows:N0} rows from an earlier run") : string.Empty)}"));
        }

        var total = _clock.Elapsed.TotalSeconds;
        var bytes = rows.Sum(t => t.Bytes);
        var copied = rows.Sum(t => t.CopiedBytes);
        text.AppendLine(Invariant(
            $"{"total".PadRight(width)}  {rows.Sum(t => t.Rows),14:N0}  {bytes / 1e6,10:N1}  {rows.Sum(t => t.ChunksDone),3}/{rows.Sum(t => t.Chunks),-3}  {total,8:N1}  {(total > 0 ? copied / 1e6 / total : 0),8:N1}"));
        return text.ToString();
    }

    private void Draw()
    {
        lock (_drawing)
        {
            var now = _clock.Elapsed;
            var active = _tables.Values.Where(t => t.Started && !t.Finished).OrderByDescending(t => t.Bytes).ToList();
            var finished = _tables.Values.Count(t => t.Finished);
            var lines = new List<string>();
            foreach (var table in active.Take(_interactive ? MaxBars : int.MaxValue))
            {
                lines.Add(Line(table, now));
            }

            var totalRows = _tables.Values.Sum(t => t.Rows);
            var totalBytes = _tables.Values.Sum(t => t.Bytes);
            var copiedBytes = _tables.Values.Sum(t => t.CopiedBytes);
            var resumedNote = copiedBytes < totalBytes ? Invariant($", {(totalBytes - copiedBytes) / 1e6:N1} MB of it from an earlier run") : string.Empty;
            // Once every row is in, the rate stays what the copy achieved while index builds and ANALYZE go on.
            var copyEnd = finished == _tables.Count && _tables.Values.Any(t => t.Started) ? _tables.Values.Where(t => t.Started).Max(t => t.LastSeen) : now;
            lines.Add(Invariant(
                $"{finished}/{_tables.Count} tables done, {totalRows:N0} rows, {totalBytes / 1e6:N1} MB{resumedNote} in {copyEnd.TotalSeconds:N0}s ({(copyEnd.TotalSeconds > 0 ? copiedBytes / 1e6 / copyEnd.TotalSeconds : 0):N1} MB/s)"));

            if (_running is { Count: > 0 } running)
            {
                lines.Add($"now: {string.Join(", ", running.Select(w => PhaseProgressLine.Describe(w) + IndexBuildNote(w, now)))}");
            }

            if (_interactive)
            {
                var text = new StringBuilder();
                if (_linesDrawn > 0)
                {
                    text.Append(Invariant($"\u001b[{_linesDrawn}F"));
                }

                foreach (var line in lines)
                {
                    text.Append("\u001b[2K").AppendLine(line);
                }

                for (var extra = lines.Count; extra < _linesDrawn; extra++)
                {
                    text.Append("\u001b[2K").AppendLine();
                }

                _linesDrawn = Math.Max(_linesDrawn, lines.Count);
                _writer.Write(text.ToString());
            }
            else
            {
                foreach (var line in lines)
                {
                    _writer.WriteLine(line);
                }
            }

            _writer.Flush();
        }
    }

    // The server's own count for an index being built, when it reported one lately: " (45% of building index: scanning table)".
    private string IndexBuildNote(RunningWork work, TimeSpan now) =>
        work.Kind == WorkKind.Index && _indexBuilds.TryGetValue(work.Table, out var build) && now - build.At < TimeSpan.FromSeconds(3)
            ? build.Progress.Fraction is { } fraction ? Invariant($" ({fraction * 100:N0}% of {build.Progress.Phase})") : $" ({build.Progress.Phase})"
            : string.Empty;

    private string Line(TableTally table, TimeSpan now)
    {
        var fraction = table.Fraction;
        var filled = (int)Math.Round(fraction * BarWidth);
        var seconds = Math.Max(0.001, (now - table.FirstSeen).TotalSeconds);
        var rate = table.CopiedRows / seconds;
        var eta = fraction switch
        {
            <= 0 => "--:--:--",
            >= 1 => "00:00:00",
            _ => TimeSpan.FromSeconds(seconds * (1 - fraction) / fraction).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
        };
        var bar = _interactive ? $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] " : string.Empty;
        var resumed = table.ResumedRows > 0 ? Invariant($"  (resumed at {table.ResumedRows:N0})") : string.Empty;
        return Invariant($"{bar}{table.Layout.DisplayName}: {fraction * 100,5:N1}%  {table.Rows:N0} rows  {table.Bytes / 1e6:N1} MB  {rate:N0} rows/s  ETA {eta}{resumed}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class TableTally(TableLayout layout, int chunks)
    {
        private readonly Lock _clock = new();
        private long _rows;
        private long _bytes;
        private long _resumedRows;
        private long _resumedBytes;
        private int _chunksDone;

        public TableLayout Layout { get; } = layout;

        public int Chunks { get; } = chunks;

        public long Rows => Interlocked.Read(ref _rows);

        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>What an earlier run had committed when this one resumed the table.</summary>
        public long ResumedRows => Interlocked.Read(ref _resumedRows);

        public long ResumedBytes => Interlocked.Read(ref _resumedBytes);

        /// <summary>What this run copied: the only part a rate may count.</summary>
        public long CopiedRows => Rows - ResumedRows;

        public long CopiedBytes => Bytes - ResumedBytes;

        public int ChunksDone => Volatile.Read(ref _chunksDone);

        public bool Started { get; private set; }

        public bool Finished => ChunksDone >= Chunks;

        public TimeSpan FirstSeen { get; private set; }

        public TimeSpan LastSeen { get; private set; }

        public double Seconds => Math.Max(0, (LastSeen - FirstSeen).TotalSeconds);

        // Rows against the planner's estimate when it has one, chunks done otherwise; never claims 100% early.
        public double Fraction => Finished ? 1
            : Layout.EstimatedRows > 0 ? Math.Min(0.99, (double)Rows / Layout.EstimatedRows)
            : Chunks == 0 ? 0 : (double)ChunksDone / Chunks;

        public void Add(long rows, long bytes, bool chunkDone, bool resumed, TimeSpan now)
        {
            if (resumed)
            {
                Interlocked.Add(ref _resumedRows, rows);
                Interlocked.Add(ref _resumedBytes, bytes);
            }

            lock (_clock)
            {
                if (!Started)
                {
                    Started = true;
                    FirstSeen = now;
                }

                LastSeen = now;
            }

            Interlocked.Add(ref _rows, rows);
            Interlocked.Add(ref _bytes, bytes);
            if (chunkDone)
            {
                Interlocked.Increment(ref _chunksDone);
            }
        }
    }
}
