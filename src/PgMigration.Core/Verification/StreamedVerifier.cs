using Npgsql;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;

namespace PgMigration.Core.Verification;

/// <summary>
/// Verifies a copied table without reading the source again: the copy hashed every row as it streamed from
/// the source (<see cref="ChunkCheckpoint.Hash"/>), and here the target computes the same hashes over the
/// rows it stored (<see cref="RowHashSql"/>) in a query that returns only a count and a sum. The tables whose
/// binary form could differ between servers are copied as text (<see cref="TableLayout.UsesTextFormat"/>) and,
/// like tables with virtual generated columns, which no copy carries, are left to <see cref="DataVerifier"/>.
/// The whole table is summed against the sum of its chunks' hashes, in block ranges side by side (TID range
/// scans, PostgreSQL 14 and later), which read the heap in order where key ranges would walk an index.
/// Only when it differs are keyed chunks summed one by one, to name the key ranges that differ.
/// </summary>
internal static class StreamedVerifier
{
    /// <summary>Below this many blocks (8 MB) a table is read by one reader: a second connection costs more than it saves.</summary>
    private const long BlocksPerExtraReader = 1024;

    /// <summary>Whether a table copied with these checkpoints can be verified from its streamed hashes.</summary>
    public static bool CanVerify(TableLayout table, IReadOnlyList<ChunkCheckpoint?> checkpoints) =>
        !table.UsesTextFormat && table.VirtualColumns.Count == 0 && checkpoints.Count > 0 && checkpoints.All(c => c is { Done: true, Hash: not null });

    public static async Task<TableVerification> VerifyAsync(
        NpgsqlDataSource target, TableLayout table, IReadOnlyList<CopyChunk> chunks, IReadOnlyList<ChunkCheckpoint?> checkpoints, int parallelism = 1, CancellationToken cancellationToken = default)
    {
        if (!CanVerify(table, checkpoints) || chunks.Count != checkpoints.Count)
        {
            throw new ArgumentException($"{table.Id} has no streamed hash for every chunk: verify it with {nameof(DataVerifier)}.", nameof(checkpoints));
        }

        var streamed = chunks.Zip(checkpoints, (chunk, checkpoint) => (Chunk: chunk, Source: Digest.Streamed(checkpoint!))).ToList();
        var source = Digest.Sum(streamed.Select(s => s.Source));
        var landed = Digest.Sum(await SumAsync(target, table, await BlockRangesAsync(target, table, parallelism, cancellationToken), parallelism, cancellationToken));
        if (landed == source || chunks.Any(c => c.Kind != ChunkKind.KeyRange))
        {
            return Compared(table, source, landed);
        }

        var byChunk = await SumAsync(target, table, [.. chunks.Select(c => ChunkSql.KeyRange(table, c.LowerKey, c.UpperKey))], parallelism, cancellationToken);
        return Compared(table, source, landed) with
        {
            MismatchedChunks = [.. streamed.Zip(byChunk).Where(p => p.First.Source != p.Second).Select(p => p.First.Chunk.Describe()).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Verifies tables copied in one chunk each (a batch of small tables) with one query for all of them: the target
    /// sums each whole table as <see cref="VerifyAsync"/> would, in one round trip instead of a transaction and a
    /// pool checkout a table. The result holds each table's verification in the order given, or null where the sums
    /// differ or the query failed, for <see cref="VerifyAsync"/> to check again and say where.
    /// </summary>
    public static async Task<TableVerification?[]> VerifyWholeTablesAsync(
        NpgsqlDataSource target, IReadOnlyList<(TableLayout Table, ChunkCheckpoint Checkpoint)> tables, CancellationToken cancellationToken = default)
    {
        if (tables.Any(t => !CanVerify(t.Table, [t.Checkpoint])))
        {
            throw new ArgumentException($"Every table needs a streamed hash: verify the others with {nameof(DataVerifier)}.", nameof(tables));
        }

        var verified = new TableVerification?[tables.Count];
        if (tables.Count == 0)
        {
            return verified;
        }

        var sql = string.Join("\nUNION ALL ", tables.Select((t, i) => $"SELECT {i}, * FROM ({RowHashSql.Aggregate(t.Table, "true")}) AS table_{i}"));
        List<(int Index, Digest Landed)> sums;
        try
        {
            sums = await ChecksumQuery.ReadRowsAsync(
                target, sql, snapshotId: null, reader => (reader.GetInt32(0), Digest.Read(reader, 1)), cancellationToken);
        }
        catch (NpgsqlException)
        {
            // Each table is checked on its own, whose failure names it.
            return verified;
        }

        foreach (var (index, landed) in sums)
        {
            var (table, checkpoint) = tables[index];
            if (Digest.Streamed(checkpoint) is var source && landed == source)
            {
                verified[index] = Compared(table, source, landed);
            }
        }

        return verified;
    }

    // Each range's WHERE clause: the table's blocks split among the readers, the last range open so nothing
    // beyond the size read here is missed. Before PostgreSQL 14 a ctid range is a full scan: one reader then.
    private static async Task<List<string>> BlockRangesAsync(NpgsqlDataSource target, TableLayout table, int parallelism, CancellationToken cancellationToken)
    {
        // A table the plan found smaller than one reader's share is summed whole without asking its size: with
        // thousands of small tables that question was a connection and a round trip each.
        if (parallelism < 2 || table.EstimatedBytes < BlocksPerExtraReader * ChunkPlanner.BlockSize)
        {
            return ["true"];
        }

        await using var connection = await target.OpenConnectionAsync(cancellationToken);
        if (connection.PostgreSqlVersion.Major < 14)
        {
            return ["true"];
        }

        await using var size = new NpgsqlCommand(
            $"SELECT pg_relation_size({SqlText.Literal(table.QualifiedName)}::regclass) / current_setting('block_size')::bigint", connection);
        var blocks = (long)(await size.ScalarAsync(cancellationToken))!;
        var readers = (int)Math.Clamp(blocks / BlocksPerExtraReader, 1, parallelism);
        var perReader = (blocks + readers - 1) / readers;
        return [.. Enumerable.Range(0, readers).Select(reader => ChunkSql.BlockRange(reader * perReader, reader == readers - 1 ? null : (reader + 1) * perReader))];
    }

    /// <summary>The digest of each range's rows, in the order of <paramref name="ranges"/>, up to <paramref name="parallelism"/> at a time.</summary>
    private static async Task<Digest[]> SumAsync(NpgsqlDataSource target, TableLayout table, IReadOnlyList<string> ranges, int parallelism, CancellationToken cancellationToken)
    {
        var digests = new Digest[ranges.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ranges.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, ct) => digests[i] = await SumAsync(target, table, ranges[i], ct));
        return digests;
    }

    private static async Task<Digest> SumAsync(NpgsqlDataSource target, TableLayout table, string range, CancellationToken cancellationToken)
    {
        var aggregate = RowHashSql.Aggregate(table, range);
        try
        {
            return await ChecksumQuery.ReadAsync(
                target, aggregate, snapshotId: null, reader => Digest.Read(reader, 0), cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new VerificationQueryException(table.Id, "target", aggregate, ex);
        }
    }

    private static TableVerification Compared(TableLayout table, Digest source, Digest landed) =>
        new(table.Id, source.Rows, landed.Rows, source.Hash.ToString(), landed.Hash.ToString());

    private sealed record Digest(long Rows, RowSetHash Hash)
    {
        /// <summary>What the copy streamed for a chunk.</summary>
        public static Digest Streamed(ChunkCheckpoint checkpoint) => new(checkpoint.Rows, checkpoint.Hash!.Value);

        /// <summary>The count and sum of <see cref="RowHashSql.Aggregate"/>, in the columns from <paramref name="first"/> on.</summary>
        public static Digest Read(NpgsqlDataReader reader, int first) => new(reader.GetInt64(first), RowSetHash.FromSignedSum(reader.GetString(first + 1)));

        public static Digest Sum(IEnumerable<Digest> parts) =>
            parts.Aggregate(new Digest(0, RowSetHash.Empty), (sum, part) => new Digest(sum.Rows + part.Rows, sum.Hash + part.Hash));
    }
}
