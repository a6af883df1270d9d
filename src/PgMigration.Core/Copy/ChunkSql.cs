using System.Globalization;
using PgMigration.Core.Schema;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>The statements that read, write and clear one chunk or batch of a table.</summary>
internal static class ChunkSql
{
    /// <summary>Rows with key in (lower, upper]; a null bound is open. Composite keys compare as rows.</summary>
    public static string KeyRange(TableLayout table, IReadOnlyList<string>? lower, IReadOnlyList<string>? upper)
    {
        var conditions = new List<string>(2);
        if (lower is not null)
        {
            conditions.Add($"{KeyTuple(table)} > {LiteralTuple(table, lower)}");
        }

        if (upper is not null)
        {
            conditions.Add($"{KeyTuple(table)} <= {LiteralTuple(table, upper)}");
        }

        return conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);
    }

    public static string BlockRange(CopyChunk chunk) => BlockRange(chunk.FirstBlock, chunk.EndBlock);

    /// <summary>The rows in blocks <paramref name="first"/> up to <paramref name="end"/> (exclusive), or to the table's end when it is null.</summary>
    public static string BlockRange(long first, long? end)
    {
        var from = string.Create(CultureInfo.InvariantCulture, $"ctid >= '({first},0)'::tid");
        return end is { } last ? string.Create(CultureInfo.InvariantCulture, $"{from} AND ctid < '({last},0)'::tid") : from;
    }

    /// <summary>The key of the last row of the next batch: the batch's inclusive upper bound.</summary>
    /// <remarks>
    /// ORDER BY names the key columns qualified by the table: an unqualified name would resolve to the output
    /// column of the same name first, which is the key's text form, and sort by text on disk instead of walking
    /// the key's index (for 1..2000, "1", "10", "100", "1000", ... so a batch bound lands far past batchSize rows).
    /// </remarks>
    public static string NextBatchUpperKey(TableLayout table, string range, int batchSize) =>
        $"SELECT {string.Join(", ", table.KeyColumns.Select(c => $"{SqlText.Identifier(c.Name)}::text"))} " +
        $"FROM ONLY {table.QualifiedName} WHERE {range} " +
        $"ORDER BY {string.Join(", ", table.KeyColumns.Select(c => $"{table.QualifiedName}.{SqlText.Identifier(c.Name)}"))} " +
        string.Create(CultureInfo.InvariantCulture, $"OFFSET {batchSize - 1} LIMIT 1");

    /// <param name="withRowHash">Append the source's share of each row's hash (<see cref="RowHashSql.SourceColumn"/>), for a table copied in binary that needs it.</param>
    public static string CopyOut(TableLayout table, string range, bool withRowHash) =>
        $"COPY (SELECT {table.ColumnList}{(withRowHash && !table.UsesTextFormat && RowHashSql.SourceColumn(table) is { } hash ? $", {hash}" : string.Empty)} " +
        $"FROM ONLY {table.QualifiedName} WHERE {range}) TO STDOUT{Format(table)}";

    // A table may have no columns at all and still hold rows: then there is no column list to give.
    // FREEZE writes the rows frozen and all-visible; the server allows it only into a table created or
    // truncated in the same transaction.
    public static string CopyIn(TableLayout table, bool freeze = false) => table.Columns.Count == 0
        ? $"COPY {table.QualifiedName} FROM STDIN{Format(table, freeze)}"
        : $"COPY {table.QualifiedName} ({table.ColumnList}) FROM STDIN{Format(table, freeze)}";

    public static string Truncate(TableLayout table) => $"TRUNCATE ONLY {table.QualifiedName}";

    public static string Delete(TableLayout table, string range) => $"DELETE FROM ONLY {table.QualifiedName} WHERE {range}";

    // Same text forms on both ends whatever the servers' defaults (which the row hash of text forms relies on
    // too); SET LOCAL ends with the transaction.
    // row_security = off makes a policy that would hide rows an error instead of a silent loss.
    // standard_conforming_strings = on is what SqlText.Literal relies on for the key bounds written into COPY.
    public const string SessionSettings =
        "SET LOCAL standard_conforming_strings = on; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL TimeZone = 'UTC'; " +
        "SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'; SET LOCAL lc_monetary = 'C'; SET LOCAL row_security = off";

    private static string Format(TableLayout table, bool freeze = false) => (table.UsesTextFormat, freeze) switch
    {
        (false, false) => " (FORMAT binary)",
        (false, true) => " (FORMAT binary, FREEZE)",
        (true, true) => " (FREEZE)",
        _ => string.Empty,
    };

    private static string KeyList(TableLayout table) => string.Join(", ", table.KeyColumns.Select(c => SqlText.Identifier(c.Name)));

    private static string KeyTuple(TableLayout table) => table.KeyColumns.Count == 1 ? KeyList(table) : $"({KeyList(table)})";

    private static string LiteralTuple(TableLayout table, IReadOnlyList<string> values)
    {
        if (values.Count != table.KeyColumns.Count)
        {
            throw new InvalidDataException(
                $"A checkpoint or plan key for {table.DisplayName} has {values.Count} parts but the key has {table.KeyColumns.Count}. " +
                "The table changed since the plan was made: start with a fresh checkpoint location.");
        }

        var literals = table.KeyColumns.Select((c, i) => $"{SqlText.Literal(values[i])}::{c.TypeName}").ToList();
        return literals.Count == 1 ? literals[0] : $"({string.Join(", ", literals)})";
    }
}
