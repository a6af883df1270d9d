using System.Globalization;
using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

public sealed record ChunkPlannerOptions
{
    /// <summary>Tables up to this size copy whole; it also bounds what a crash makes a worker copy again.</summary>
    public const long DefaultChunkBytes = 256L * 1024 * 1024;

    /// <summary>Largest bytes of table data per chunk; smaller tables are one chunk.</summary>
    public long ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>
    /// Chunks wanted across the whole database: chunks shrink below <see cref="ChunkBytes"/> (down to
    /// <see cref="SmallestChunkBytes"/>) to reach it. Verification uses it to hash a small database in
    /// parallel pieces; the copy does not (see <see cref="DataPlannerOptions.ForPlanning"/>).
    /// </summary>
    public int MinimumChunks { get; init; } = 1;

    public long SmallestChunkBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>
    /// The copy's workers, when the chunk size is left to the planner: a table bigger than a chunk is then split
    /// only where copying it whole would keep its worker busy well past the others (<see cref="SplitAbove"/>).
    /// Null: every table bigger than <see cref="ChunkBytes"/> is split, as verification wants.
    /// </summary>
    public int? BalancedWorkers { get; init; }

    /// <summary>
    /// How much longer than an even share of the database (its bytes over the workers) one worker may spend on a
    /// whole table before splitting the table pays. A split table costs both servers more: its chunks are key-range
    /// scans on the source instead of one sequential scan, and they load in transactions side by side, which
    /// COPY FREEZE does not allow, so the target later reads and dirties every page to set hint bits. At bench
    /// scale 50 with 2 workers (pgbench_accounts 570 MB of 863), copying it whole instead of in three chunks took
    /// 18.4-18.7 s instead of 21.0-21.4 s in alternating runs, the source spending 0.9-1.9 CPU-seconds less and the
    /// target 2.4 less on average; a table of 842 MB alone still splits, and its chunks keep both workers busy.
    /// </summary>
    public const double WholeTableSlack = 1.5;

    /// <summary>The chunk size used for a database of <paramref name="totalBytes"/>.</summary>
    public long EffectiveChunkBytes(long totalBytes) =>
        Math.Min(ChunkBytes, Math.Max(Math.Min(SmallestChunkBytes, ChunkBytes), totalBytes / Math.Max(1, MinimumChunks)));

    /// <summary>Tables bigger than this are split into chunks of <see cref="ChunkBytes"/>; smaller ones copy whole.</summary>
    public long SplitAbove(long totalBytes) =>
        BalancedWorkers is { } workers ? Math.Max(ChunkBytes, (long)(WholeTableSlack * totalBytes / Math.Max(1, workers))) : ChunkBytes;
}

/// <summary>
/// Splits the tables bigger than <see cref="ChunkPlannerOptions.SplitAbove"/> into chunks of about
/// <see cref="ChunkPlannerOptions.ChunkBytes"/>: by ranges of its key where it has one, by ctid block ranges
/// where it has none. Biggest chunks come first so the longest work starts earliest.
/// </summary>
public static class ChunkPlanner
{
    /// <summary>PostgreSQL's page size as built by default, which sizes from relation sizes are estimated with.</summary>
    internal const int BlockSize = 8192;

    public static async Task<DataPlan> PlanAsync(
        NpgsqlDataSource source, IReadOnlyList<TableLayout> tables, string sourceDisplay, ChunkPlannerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ChunkPlannerOptions();
        var totalBytes = tables.Sum(t => t.EstimatedBytes);
        options = options with { ChunkBytes = options.EffectiveChunkBytes(totalBytes) };
        var splitAbove = options.SplitAbove(totalBytes);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        // Bounds are read as text and cast back by the copy's sessions: both must use the same text forms
        // (DateStyle, IntervalStyle, exact floats), whatever the server's defaults.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand($"SET TRANSACTION READ ONLY; {ChunkSql.SessionSettings}", connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var chunks = new List<CopyChunk>();
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            var pieces = table.HasKey
                ? await KeyRangesAsync(connection, table, options, splitAbove, cancellationToken)
                : await BlockRangesAsync(connection, table, options, splitAbove, cancellationToken);
            var rowsEach = Math.Max(0, table.EstimatedRows) / pieces.Count;
            var bytesEach = table.EstimatedBytes / pieces.Count;
            chunks.AddRange(pieces.Select((piece, c) => piece with
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"t{t:D4}-c{c:D5}"),
                EstimatedRows = rowsEach,
                EstimatedBytes = bytesEach,
            }));
        }

        return new DataPlan
        {
            Id = Guid.NewGuid().ToString("N"),
            Source = sourceDisplay,
            Tables = tables,
            Chunks = chunks.OrderByDescending(c => c.EstimatedBytes).ThenBy(c => c.Id, StringComparer.Ordinal).ToList(),
        };
    }

    private static int ChunkCount(long bytes, ChunkPlannerOptions options, long splitAbove) =>
        bytes <= splitAbove ? 1 : (int)Math.Clamp((bytes + options.ChunkBytes - 1) / Math.Max(1, options.ChunkBytes), 1, 100_000);

    private static async Task<List<CopyChunk>> KeyRangesAsync(
        NpgsqlConnection connection, TableLayout table, ChunkPlannerOptions options, long splitAbove, CancellationToken cancellationToken)
    {
        var count = ChunkCount(table.EstimatedBytes, options, splitAbove);
        var whole = new CopyChunk { Id = string.Empty, Table = table.Id, Kind = ChunkKind.KeyRange };
        if (count == 1)
        {
            return [whole];
        }

        var bounds = table.KeyColumns is [{ IsInteger: true } key]
            ? await IntegerBoundsAsync(connection, table, key, count, cancellationToken)
            : await SampledBoundsAsync(connection, table, count, cancellationToken);
        var chunks = new List<CopyChunk>(bounds.Count + 1);
        IReadOnlyList<string>? lower = null;
        foreach (var upper in bounds)
        {
            chunks.Add(whole with { LowerKey = lower, UpperKey = upper });
            lower = upper;
        }

        chunks.Add(whole with { LowerKey = lower, UpperKey = null });
        return chunks;
    }

    // Equal-width ranges between min and max: instant, and even for the common serial/identity key.
    private static async Task<List<IReadOnlyList<string>>> IntegerBoundsAsync(
        NpgsqlConnection connection, TableLayout table, CopyColumn key, int count, CancellationToken cancellationToken)
    {
        var column = SqlText.Identifier(key.Name);
        await using var command = new NpgsqlCommand($"SELECT min({column})::int8, max({column})::int8 FROM ONLY {table.QualifiedName}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            return [];
        }

        Int128 min = reader.GetInt64(0), max = reader.GetInt64(1);
        var width = (max - min + 1 + count - 1) / count;
        var bounds = new List<IReadOnlyList<string>>();
        for (var i = 1; i < count; i++)
        {
            var upper = min + (width * i) - 1;
            if (upper >= max)
            {
                break;
            }

            bounds.Add([upper.ToString(CultureInfo.InvariantCulture)]);
        }

        return bounds;
    }

    // Every n-th key in index order: one ordered pass over the key, valid for any btree-ordered key.
    private static async Task<List<IReadOnlyList<string>>> SampledBoundsAsync(
        NpgsqlConnection connection, TableLayout table, int count, CancellationToken cancellationToken)
    {
        var rows = table.EstimatedRows;
        if (rows <= 0)
        {
            await using var counter = new NpgsqlCommand($"SELECT count(*) FROM ONLY {table.QualifiedName}", connection);
            rows = (long)(await counter.ScalarAsync(cancellationToken))!;
        }

        var every = Math.Max(1, (rows + count - 1) / count);
        var keys = string.Join(", ", table.KeyColumns.Select(c => SqlText.Identifier(c.Name)));
        var texts = string.Join(", ", table.KeyColumns.Select((c, i) => $"k.{SqlText.Identifier(c.Name)}::text"));
        var sql = $"""
            SELECT {texts}
              FROM (SELECT {keys}, row_number() OVER (ORDER BY {keys}) AS pgmigrate_rn FROM ONLY {table.QualifiedName}) k
             WHERE k.pgmigrate_rn % {every} = 0
             ORDER BY {string.Join(", ", table.KeyColumns.Select(c => $"k.{SqlText.Identifier(c.Name)}"))}
             LIMIT {count - 1}
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bounds = new List<IReadOnlyList<string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            bounds.Add(Enumerable.Range(0, table.KeyColumns.Count).Select(reader.GetString).ToList());
        }

        return bounds;
    }

    private static async Task<List<CopyChunk>> BlockRangesAsync(
        NpgsqlConnection connection, TableLayout table, ChunkPlannerOptions options, long splitAbove, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_relation_size({SqlText.Literal(table.QualifiedName)}::regclass)", connection);
        var bytes = (long)(await command.ScalarAsync(cancellationToken))!;
        var blocks = bytes / BlockSize;
        var count = ChunkCount(bytes, options, splitAbove);
        var perChunk = Math.Max(1, (blocks + count - 1) / count);
        var whole = new CopyChunk { Id = string.Empty, Table = table.Id, Kind = ChunkKind.BlockRange };
        var chunks = new List<CopyChunk>();
        for (long first = 0; first < blocks || chunks.Count == 0; first += perChunk)
        {
            var end = first + perChunk;
            // The last range stays open so rows added beyond the planned size are still copied.
            chunks.Add(whole with { FirstBlock = first, EndBlock = end >= blocks ? null : end });
        }

        return chunks;
    }
}
