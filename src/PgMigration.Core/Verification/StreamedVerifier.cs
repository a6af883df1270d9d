using System.Buffers;
using System.Collections.Concurrent;
using System.Data;
using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Connections;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Verification;

/// <summary>
/// Verifies a copied table without reading the source again: the copy hashed every row as it streamed from
/// the source (<see cref="ChunkCheckpoint.Hash"/>), and here the target's rows are read back as binary COPY
/// and hashed the same way. Equal values of equal types have equal binary forms; the tables whose binary
/// form could differ between servers are copied as text (<see cref="TableLayout.UsesTextFormat"/>) and,
/// like tables with virtual generated columns, which no copy carries, are left to <see cref="DataVerifier"/>.
/// Keyed chunks are read back chunk by chunk (in parallel, and a mismatch names its key range), other
/// tables whole against the sum of their chunks' hashes.
/// </summary>
public static class StreamedVerifier
{
    /// <summary>Whether a table copied with these checkpoints can be verified from its streamed hashes.</summary>
    public static bool CanVerify(TableLayout table, IReadOnlyList<ChunkCheckpoint?> checkpoints) =>
        !table.UsesTextFormat && table.VirtualColumns.Count == 0 && checkpoints.Count > 0 && checkpoints.All(c => c is { Done: true, Hash: not null });

    public static async Task<TableVerification> VerifyAsync(
        NpgsqlDataSource target, TableLayout table, IReadOnlyList<CopyChunk> chunks, IReadOnlyList<ChunkCheckpoint?> checkpoints, int parallelism = 1, CancellationToken cancellationToken = default)
    {
        if (!CanVerify(table, checkpoints) || chunks.Count != checkpoints.Count)
        {
            throw new ArgumentException($"{table.DisplayName} has no streamed hash for every chunk: verify it with {nameof(DataVerifier)}.", nameof(checkpoints));
        }

        var streamed = chunks.Zip(checkpoints, (chunk, checkpoint) => (Chunk: chunk, Source: new Digest(checkpoint!.Rows, checkpoint.Hash!.Value))).ToList();
        List<(CopyChunk? Chunk, Digest Source)> units = chunks.All(c => c.Kind == ChunkKind.KeyRange)
            ? [.. streamed.Select(s => ((CopyChunk?)s.Chunk, s.Source))]
            : [(null, Digest.Sum(streamed.Select(s => s.Source)))];
        var results = new ConcurrentBag<(CopyChunk? Chunk, Digest Source, Digest Target)>();
        await Parallel.ForEachAsync(
            units,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                var range = unit.Chunk is null ? "true" : ChunkSql.KeyRange(table, unit.Chunk.LowerKey, unit.Chunk.UpperKey);
                var sql = ChunkSql.CopyOut(table, range);
                try
                {
                    results.Add((unit.Chunk, unit.Source, await ReadBackAsync(target, sql, ct)));
                }
                catch (NpgsqlException ex)
                {
                    throw new VerificationQueryException(table.DisplayName, "target", sql, ex);
                }
            });

        var source = Digest.Sum(results.Select(r => r.Source));
        var landed = Digest.Sum(results.Select(r => r.Target));
        return new TableVerification(table.DisplayName, source.Rows, landed.Rows, source.Hash.ToString(), landed.Hash.ToString())
        {
            MismatchedChunks = [.. results.Where(r => r.Chunk is not null && r.Source != r.Target).Select(r => r.Chunk!.Describe()).Order(StringComparer.Ordinal)],
        };
    }

    private static async Task<Digest> ReadBackAsync(NpgsqlDataSource target, string copyOut, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var settings = new NpgsqlCommand($"SET TRANSACTION READ ONLY; {DeadClientCheck.SetLocal(connection)}{ChunkSql.SessionSettings}", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var digester = new BinaryCopyRowDigester();
        var buffer = ArrayPool<byte>.Shared.Rent(CopyStreamPump.BufferSize);
        try
        {
            await using var output = await connection.BeginRawBinaryCopyAsync(copyOut, cancellationToken);
            int read;
            while ((read = await output.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                digester.Observe(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new Digest(digester.Rows, digester.Hash);
    }

    private sealed record Digest(long Rows, RowSetHash Hash)
    {
        public static Digest Sum(IEnumerable<Digest> parts) =>
            parts.Aggregate(new Digest(0, RowSetHash.Empty), (sum, part) => new Digest(sum.Rows + part.Rows, sum.Hash + part.Hash));
    }
}
