using System.Text;
using Npgsql;

namespace PgMigration.Core.Copy;

/// <summary>What one COPY pass moved.</summary>
public sealed record CopiedVolume(long Rows, long Bytes);

/// <summary>
/// Streams COPY TO STDOUT on the source into COPY FROM STDIN on the target through two fixed buffers:
/// reading the next block overlaps writing the previous one, and memory stays constant whatever the size.
/// </summary>
public static class CopyStreamPump
{
    public const int BufferSize = 256 * 1024;

    public static async Task<CopiedVolume> PumpBinaryAsync(
        NpgsqlConnection source, string copyOut, NpgsqlConnection target, string copyIn, CancellationToken cancellationToken = default)
    {
        await using var input = await target.BeginRawBinaryCopyAsync(copyIn, cancellationToken);
        try
        {
            var counter = new BinaryCopyRowCounter();
            long bytes = 0;
            await using (var output = await source.BeginRawBinaryCopyAsync(copyOut, cancellationToken))
            {
                var current = new byte[BufferSize];
                var next = new byte[BufferSize];
                // The server sends one message per row and the stream hands back one message per read:
                // fill the whole buffer first, so the target gets one write per 256 KB, not one per row.
                var read = await output.ReadAtLeastAsync(current, current.Length, throwOnEndOfStream: false, cancellationToken);
                while (read > 0)
                {
                    counter.Observe(current.AsSpan(0, read));
                    bytes += read;
                    var write = input.WriteAsync(current.AsMemory(0, read), cancellationToken);
                    var nextRead = output.ReadAtLeastAsync(next, next.Length, throwOnEndOfStream: false, cancellationToken).AsTask();
                    await WriteThenSettleReadAsync(write, nextRead);
                    read = await nextRead;
                    (current, next) = (next, current);
                }
            }

            return new CopiedVolume(counter.Rows, bytes);
        }
        catch
        {
            // Ending the COPY normally would load the partial rows; cancelling makes the server reject them.
            await CancelQuietlyAsync(input.CancelAsync);
            throw;
        }
    }

    public static async Task<CopiedVolume> PumpTextAsync(
        NpgsqlConnection source, string copyOut, NpgsqlConnection target, string copyIn, CancellationToken cancellationToken = default)
    {
        await using var input = (NpgsqlCopyTextWriter)await target.BeginTextImportAsync(copyIn, cancellationToken);
        try
        {
            long rows = 0, bytes = 0;
            using (var output = await source.BeginTextExportAsync(copyOut, cancellationToken))
            {
                var buffer = new char[BufferSize / 2];
                int read;
                while ((read = await output.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
                {
                    // Text COPY escapes newlines inside values, so each newline ends exactly one row.
                    rows += buffer.AsSpan(0, read).Count('\n');
                    bytes += Encoding.UTF8.GetByteCount(buffer.AsSpan(0, read));
                    await input.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new CopiedVolume(rows, bytes);
        }
        catch
        {
            await CancelQuietlyAsync(input.CancelAsync);
            throw;
        }
    }

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

    private static async Task CancelQuietlyAsync(Func<Task> cancel)
    {
        try
        {
            await cancel();
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is already broken; the transaction around the COPY rolls back either way.
        }
    }
}
