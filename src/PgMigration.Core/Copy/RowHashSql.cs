using System.Globalization;
using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>
/// The SQL side of the row hash that verifies a copy without reading the source twice. A row's hash is the XOR
/// of one 64-bit hash per column, each seeded by the column's position so that values swapped between columns
/// change it; a table's hash is the exact sum of its rows' hashes, so chunks add up and order does not matter.
/// Each column is hashed by PostgreSQL's own extended hash function for its type where equal hashed forms mean
/// identical values (integers, text, uuid, timestamps: <see cref="ColumnHashKind"/>), which the copier computes
/// from the binary stream as the rows pass; every other type is hashed from its text form (numeric keeps its
/// scale, float its sign of zero, arrays their bounds) by the source server, in the same COPY that reads the
/// rows, as one extra column the copier takes off before the rows go on. The target hashes what it stored with
/// the same expressions, in one aggregate query that returns two numbers. Only the text forms depend on session
/// settings, which <see cref="ChunkSql.SessionSettings"/> fixes on both servers.
/// </summary>
internal static class RowHashSql
{
    /// <summary>The source's share of a row's hash, appended to the COPY's columns; null when the copier hashes every column itself.</summary>
    public static string? SourceColumn(TableLayout table)
    {
        var hashed = table.Columns.Select((column, index) => (Column: column, Seed: SeedOf(index)))
            .Where(c => c.Column.Hash == ColumnHashKind.SourceText)
            .Select(c => ColumnHash(c.Column, c.Seed))
            .ToList();
        return hashed.Count == 0 ? null : string.Join(" # ", hashed);
    }

    /// <summary>The row count and the sum of the row hashes of the rows of <paramref name="table"/> that <paramref name="range"/> selects.</summary>
    public static string Aggregate(TableLayout table, string range)
    {
        var row = table.Columns.Count == 0 ? "0::int8" : string.Join(" # ", table.Columns.Select((column, index) => ColumnHash(column, SeedOf(index))));
        return $"SELECT count(*), coalesce(sum({row}), 0)::text FROM ONLY {table.QualifiedName} WHERE {range}";
    }

    /// <summary>
    /// Whether the target can compute the hashes the copy streams: the copier hashes text as the client encoding
    /// (UTF-8) sends it and the source hashes text forms in its own encoding, so both servers must store the bytes
    /// the copier sees. Where they do not, the copy only counts rows and both sides are checksummed after it.
    /// </summary>
    public static bool Comparable(NpgsqlConnection source, NpgsqlConnection target) =>
        ServerEncoding(source) is var encoding && encoding == ServerEncoding(target) && encoding is "UTF8" or "SQL_ASCII";

    /// <summary>The encoding the server stores text in, as it reported at sign-in.</summary>
    public static string? ServerEncoding(NpgsqlConnection connection) => connection.PostgresParameters.GetValueOrDefault("server_encoding");

    /// <summary>The seed of the column at <paramref name="index"/> among the copied ones.</summary>
    public static long SeedOf(int index) => index + 1;

    /// <summary>What a NULL in the column with <paramref name="seed"/> contributes: a constant of its own, so NULL, empty and zero differ.</summary>
    public static long NullHash(long seed) => unchecked((long)(0x9E3779B97F4A7C15UL * (ulong)seed) ^ 0x4E554C4C);

    private static string ColumnHash(CopyColumn column, long seed)
    {
        var value = SqlText.Identifier(column.Name);
        var text = column.Hash switch
        {
            ColumnHashKind.Bool => $"hashint4extended({value}::int4, {seed})",
            ColumnHashKind.Int2 => $"hashint2extended({value}, {seed})",
            ColumnHashKind.Int4 => $"hashint4extended({value}, {seed})",
            ColumnHashKind.Int8 => $"hashint8extended({value}, {seed})",
            ColumnHashKind.Oid => $"hashoidextended({value}, {seed})",
            ColumnHashKind.Text => $"hashtextextended(({value}::text) COLLATE \"C\", {seed})",
            ColumnHashKind.Bpchar => $"hashbpcharextended(({value}::bpchar) COLLATE \"C\", {seed})",
            ColumnHashKind.Uuid => $"uuid_hash_extended({value}, {seed})",
            ColumnHashKind.Float4 => $"hashfloat4extended({value}, {seed}) # CASE WHEN {value} = 0 THEN hashtextextended({value}::text, {seed}) ELSE 0 END",
            ColumnHashKind.Float8 => $"hashfloat8extended({value}, {seed}) # CASE WHEN {value} = 0 THEN hashtextextended({value}::text, {seed}) ELSE 0 END",
            ColumnHashKind.Date => $"CASE WHEN isfinite({value}) THEN hashint4extended({value} - DATE '2000-01-01', {seed}) ELSE hashtextextended({value}::text, {seed}) END",
            ColumnHashKind.Inet => $"hashinetextended({value}, {seed})",
            ColumnHashKind.Timestamp => $"timestamp_hash_extended({value}, {seed})",
            // The stored value is a UTC instant, which AT TIME ZONE 'UTC' hands on unchanged.
            ColumnHashKind.TimestampTz => $"timestamp_hash_extended({value} AT TIME ZONE 'UTC', {seed})",
            _ => $"hashtextextended(({value}::text) COLLATE \"C\", {seed})",
        };
        return string.Create(CultureInfo.InvariantCulture, $"coalesce({text}, '{NullHash(seed)}'::int8)");
    }
}
