using System.Buffers;
using System.Text;
using Npgsql;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>What one COPY pass moved.</summary>
public sealed record CopiedVolume(long Rows, long Bytes)
{
    /// <summary>The hash of the rows as they streamed past (binary COPY only): what the target must be found to hold.</summary>
    public RowSetHash? Hash { get; init; }
}

/// <summary>
/// Streams COPY TO STDOUT on the source into COPY FROM STDIN on the target through two fixed buffers:
/// reading the next block overlaps writing the previous one, and memory stays constant whatever the size.
/// The buffers are rented: fresh ones per chunk are large-object-heap garbage, which only a full collection
/// frees, so with thousands of small tables the process grew with their number.
/// </summary>
internal static class CopyStreamPump
{
    public const int BufferSize = 256 * 1024;

    /// <summary>
    /// How often a COPY in flight reports what it has streamed so far: a clock read per 256 KB buffer, nothing
    /// per row. As often as the terminal redraws, since a whole 256 MB table can stream in two seconds.
    /// </summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="hasher">Counts and hashes the rows as they pass, and takes off the source's share of the hash where the COPY carries it.</param>
    public static async Task<CopiedVolume> PumpBinaryAsync(
        NpgsqlConnection source, string copyOut, NpgsqlConnection target, string copyIn, StreamedRowHasher hasher, Action<CopiedVolume>? onStreamed = null, CancellationToken cancellationToken = default)
    {
        var ticker = new ProgressTicker(onStreamed);
        var input = await target.BeginRawBinaryCopyAsync(copyIn, cancellationToken);
        CopiedVolume volume;
        try
        {
            long bytes = 0;
            var current = ArrayPool<byte>.Shared.Rent(BufferSize);
            var next = ArrayPool<byte>.Shared.Rent(BufferSize);
            var stripped = hasher.HasSourceColumn ? ArrayPool<byte>.Shared.Rent(BufferSize + StreamedRowHasher.OutputSlack) : null;
            try
            {
                await using var output = await source.BeginRawBinaryCopyAsync(copyOut, cancellationToken);
                // The server sends one message per row and the stream hands back one message per read:
                // fill the whole buffer first, so the target gets one write per 256 KB, not one per row.
                var read = await output.ReadAtLeastAsync(current, current.Length, throwOnEndOfStream: false, cancellationToken);
                while (read > 0)
                {
                    var length = hasher.Observe(current.AsSpan(0, read), stripped);
                    var block = stripped is null ? current.AsMemory(0, read) : stripped.AsMemory(0, length);

                    // The next block is on its way here while this one is on its way to the target.
                    var write = input.WriteAsync(block, cancellationToken);
                    var nextRead = output.ReadAtLeastAsync(next, next.Length, throwOnEndOfStream: false, cancellationToken).AsTask();
                    bytes += block.Length;
                    ticker.Tick(hasher.Rows, bytes);
                    await WriteThenSettleReadAsync(write, nextRead);
                    read = await nextRead;
                    (current, next) = (next, current);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(current);
                ArrayPool<byte>.Shared.Return(next);
                if (stripped is not null)
                {
                    ArrayPool<byte>.Shared.Return(stripped);
                }
            }

            volume = new CopiedVolume(hasher.Rows, bytes) { Hash = hasher.Hash };
        }
        catch
        {
            await AbandonAsync(input.CancelAsync, input.DisposeAsync);
            throw;
        }

        // Ends the COPY: this is where the target checks the rows and reports what it refused.
        await input.DisposeAsync();
        return volume;
    }

    public static async Task<CopiedVolume> PumpTextAsync(
        NpgsqlConnection source, string copyOut, NpgsqlConnection target, string copyIn, Action<CopiedVolume>? onStreamed = null, CancellationToken cancellationToken = default)
    {
        var ticker = new ProgressTicker(onStreamed);
        var input = (NpgsqlCopyTextWriter)await target.BeginTextImportAsync(copyIn, cancellationToken);
        CopiedVolume volume;
        try
        {
            long rows = 0, bytes = 0;
            var buffer = ArrayPool<char>.Shared.Rent(BufferSize / 2);
            try
            {
                var output = (NpgsqlCopyTextReader)await source.BeginTextExportAsync(copyOut, cancellationToken);
                try
                {
                    int read;
                    while ((read = await output.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
                    {
                        // Text COPY escapes newlines inside values, so each newline ends exactly one row.
                        rows += buffer.AsSpan(0, read).Count('\n');
                        bytes += Encoding.UTF8.GetByteCount(buffer.AsSpan(0, read));
                        ticker.Tick(rows, bytes);
                        await input.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
                finally
                {
                    await Underlying(output).DisposeAsync();
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }

            volume = new CopiedVolume(rows, bytes);
        }
        catch
        {
            await AbandonAsync(input.CancelAsync, Underlying(input).DisposeAsync);
            throw;
        }

        await input.FlushAsync(cancellationToken);
        await Underlying(input).DisposeAsync();
        return volume;
    }

    // Npgsql's text reader and writer end their COPY in a synchronous Dispose (their DisposeAsync calls it too),
    // which waits on the socket from the thread that runs this continuation: where socket completions run inline
    // (see the CLI's Program) that thread is the one that would have to deliver the reply, and it waits forever.
    // The streams under them end the COPY asynchronously; the text wrappers hold nothing else.
    private static NpgsqlRawCopyStream Underlying(StreamWriter writer) => (NpgsqlRawCopyStream)writer.BaseStream;

    private static NpgsqlRawCopyStream Underlying(StreamReader reader) => (NpgsqlRawCopyStream)reader.BaseStream;

    // A failed write must not leave the source read running: disposing the export while a read is still
    // in flight on the same connection hangs, so the read is allowed to finish (or fail) first.
    private static async Task WriteThenSettleReadAsync(ValueTask write, Task<int> pendingRead)
    {
        try
        {
            await write;
        }
        catch
        {
            await Task.WhenAny(pendingRead);
            throw;
        }
    }

    // Ending the COPY normally would load the partial rows; cancelling makes the server reject them. The
    // failure that got us here is the one to report (and the one the retry policy judges): when the
    // connection is already dead, Npgsql's cancel and dispose fail in ways of their own (a
    // NullReferenceException from the copy stream's cleanup after a terminated backend, an
    // ObjectDisposedException when flushing a text writer over a broken stream), and none of them may
    // replace it. The transaction around the COPY rolls back either way.
    private static async Task AbandonAsync(Func<Task> cancel, Func<ValueTask> dispose)
    {
        try
        {
            await cancel();
        }
        catch (Exception)
        {
            // See above: the original failure is rethrown by the caller.
        }

        try
        {
            await dispose();
        }
        catch (Exception)
        {
            // See above.
        }
    }

    /// <summary>Calls back with the volume streamed so far, at most once per <see cref="ProgressInterval"/>.</summary>
    private sealed class ProgressTicker(Action<CopiedVolume>? onStreamed)
    {
        private long next = System.Diagnostics.Stopwatch.GetTimestamp() + Interval;

        private static long Interval => (long)(ProgressInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

        public void Tick(long rows, long bytes)
        {
            if (onStreamed is null || System.Diagnostics.Stopwatch.GetTimestamp() < next)
            {
                return;
            }

            next = System.Diagnostics.Stopwatch.GetTimestamp() + Interval;
            onStreamed(new CopiedVolume(rows, bytes));
        }
    }
}
