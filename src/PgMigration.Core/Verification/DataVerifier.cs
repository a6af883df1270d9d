using System.Collections.Concurrent;
using System.Numerics;
using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Core.Copy;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Verification;

public sealed record VerificationOptions
{
    public int Parallelism { get; init; } = 4;

    /// <summary>Read the source from this exported snapshot (see <see cref="SourceSnapshot"/>).</summary>
    public string? SourceSnapshotId { get; init; }
}

/// <summary>
/// Compares every table of a plan on both servers: row count plus two sums of 64-bit hashes of each
/// row's text form, computed by the servers, so order does not matter and only numbers cross the wire.
/// The hash is hashtextextended with two seeds (128 bits; four times cheaper than md5, and what hash
/// partitioning relies on to be stable across versions); servers before PostgreSQL 11 fall back to md5, and
/// servers of different encodings to md5 of the text in UTF-8 (<see cref="RowTextHash"/>).
/// Keyed tables are checked chunk by chunk (in parallel, and a mismatch names its key range).
/// </summary>
public static class DataVerifier
{
    public static async Task<VerificationReport> VerifyAsync(
        NpgsqlDataSource source, NpgsqlDataSource target, DataPlan plan, VerificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new VerificationOptions();
        var hash = RowTextHashFor(await ServerOfAsync(source, cancellationToken), await ServerOfAsync(target, cancellationToken));
        var units = new List<Unit>();
        var chunksByTable = plan.ChunksByTable();
        foreach (var table in plan.Tables)
        {
            var chunks = chunksByTable[table.Id].Where(c => c.Kind == ChunkKind.KeyRange).ToList();
            units.AddRange(chunks.Count > 0 ? chunks.Select(c => new Unit(DataKind.Table, table, c)) : [new Unit(DataKind.Table, table, null)]);
        }

        if (plan.LargeObjects is { } largeObjects)
        {
            units.AddRange(largeObjects.Sets.Select(set => new Unit(DataKind.LargeObjects, largeObjects.Layout, largeObjects.ChunkOf(set))));
        }

        var results = new ConcurrentBag<(Unit Unit, Checksum Source, Checksum Target)>();
        await Parallel.ForEachAsync(
            units,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            async (unit, ct) =>
            {
                var sql = ChecksumSql(unit, hash);
                var sourceSum = GuardAsync(unit.Table, "source", sql, ChecksumAsync(source, sql, options.SourceSnapshotId, ct));
                var targetSum = GuardAsync(unit.Table, "target", sql, ChecksumAsync(target, sql, null, ct));
                results.Add((unit, await sourceSum, await targetSum));
            });

        var tables = results
            .GroupBy(r => (r.Unit.Kind, r.Unit.Table.Id))
            .Select(g => new TableVerification(
                g.Key.Id,
                g.Sum(r => r.Source.Rows),
                g.Sum(r => r.Target.Rows),
                Checksum.Combine(g.Select(r => r.Source)),
                Checksum.Combine(g.Select(r => r.Target)))
            {
                Kind = g.Key.Kind,
                MismatchedChunks = g.Where(r => r.Unit.Chunk is not null && r.Source != r.Target).Select(r => r.Unit.Chunk!.Describe()).Order(StringComparer.Ordinal).ToList(),
            })
            .ToList();
        return new VerificationReport(tables);
    }

    /// <summary>What one checksum query covers: a table whole or one of its key ranges, or a set of large objects.</summary>
    private sealed record Unit(DataKind Kind, TableLayout Table, CopyChunk? Chunk);

    private sealed record Checksum(long Rows, BigInteger High, BigInteger Low)
    {
        public static string Combine(IEnumerable<Checksum> parts)
        {
            BigInteger high = 0, low = 0;
            foreach (var part in parts)
            {
                high += part.High;
                low += part.Low;
            }

            return $"{high:x}:{low:x}";
        }
    }

    private static async Task<Checksum> GuardAsync(TableLayout table, string side, string sql, Task<Checksum> query)
    {
        try
        {
            return await query;
        }
        catch (NpgsqlException ex)
        {
            throw new VerificationQueryException(table.Id, side, sql, ex);
        }
    }

    private static string ChecksumSql(Unit unit, RowTextHash hash)
    {
        if (unit.Kind == DataKind.LargeObjects)
        {
            return Aggregate(LargeObjectsSql(unit.Chunk!), hash);
        }

        var (table, chunk) = (unit.Table, unit.Chunk);
        var range = chunk is null ? "true" : ChunkSql.KeyRange(table, chunk.LowerKey, chunk.UpperKey);
        return Aggregate($"SELECT ROW({table.VerifiedColumnList})::text AS r FROM ONLY {table.QualifiedName} WHERE {range}", hash);
    }

    // One text per object: its oid, size and the md5 of each 1 MB piece of its content, read a piece at a
    // time (an object of any size costs the server one piece of memory). lo_open's descriptors last until
    // the end of the transaction: one per object of the set.
    private static string LargeObjectsSql(CopyChunk set) => $"""
        SELECT m.oid::text || ':' || s.size::text || ':' ||
               coalesce((SELECT string_agg(md5(pg_catalog.lo_get(m.oid, p.offset_, {LargeObjectPiece})), '' ORDER BY p.offset_)
                           FROM generate_series(0::int8, s.size - 1, {LargeObjectPiece}) AS p(offset_)), '') AS r
          FROM pg_catalog.pg_largeobject_metadata m
         CROSS JOIN LATERAL (SELECT pg_catalog.lo_lseek64(pg_catalog.lo_open(m.oid, {ReadMode}), 0, 2) AS size) s
         WHERE m.oid > {set.LowerKey![0]}::int8::oid AND m.oid <= {set.UpperKey![0]}::int8::oid
        """;

    private const int LargeObjectPiece = 1024 * 1024;

    // INV_READ of libpq-fs.h.
    private const int ReadMode = 0x40000;

    /// <summary>How a row's text is hashed: one function both servers have, over bytes both servers give alike.</summary>
    private enum RowTextHash
    {
        /// <summary>hashtextextended with two seeds: both servers PostgreSQL 11 or later, in one encoding.</summary>
        Extended,

        /// <summary>md5 of the text: a server before PostgreSQL 11, which has no hashtextextended.</summary>
        Md5,

        /// <summary>
        /// md5 of the text converted to UTF-8: servers of different encodings hold the same characters in different
        /// bytes (é is one byte in LATIN1, two in UTF-8), and a hash of each server's own bytes would call every row
        /// with such a character changed.
        /// </summary>
        Utf8Md5,
    }

    private sealed record Server(int Major, string? Encoding);

    private static RowTextHash RowTextHashFor(Server source, Server target) =>
        source.Encoding != target.Encoding ? RowTextHash.Utf8Md5
        : source.Major < 11 || target.Major < 11 ? RowTextHash.Md5
        : RowTextHash.Extended;

    // Row count and two sums of 64-bit hashes of the texts r that rowsSql yields.
    private static string Aggregate(string rowsSql, RowTextHash hash) => hash switch
    {
        RowTextHash.Extended => $"""
            SELECT count(*), coalesce(sum(hashtextextended(r, 0)), 0)::text, coalesce(sum(hashtextextended(r, 1)), 0)::text
              FROM ({rowsSql}) rows
            """,
        _ => $"""
            SELECT count(*),
                   coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint), 0)::text,
                   coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint), 0)::text
              FROM (SELECT md5({(hash == RowTextHash.Utf8Md5 ? "convert_to(r, 'UTF8')" : "r")}) AS h FROM ({rowsSql}) texts) rows
            """,
    };

    private static async Task<Server> ServerOfAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new Server(connection.PostgreSqlVersion.Major, RowHashSql.ServerEncoding(connection));
    }

    private static Task<Checksum> ChecksumAsync(NpgsqlDataSource dataSource, string sql, string? snapshotId, CancellationToken cancellationToken) =>
        ChecksumQuery.ReadAsync(
            dataSource,
            sql,
            snapshotId,
            reader => new Checksum(
                reader.GetInt64(0),
                BigInteger.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                BigInteger.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture)),
            cancellationToken);
}
