using System.Globalization;
using System.Text.Json.Serialization;
using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Copy;

/// <summary>
/// The source's large objects, in sets of consecutive oids that are copied and verified like the chunks of
/// a table (<see cref="Layout"/>, <see cref="ChunkOf"/>), so progress and reports show them beside the tables.
/// Large objects belong to the whole database, not to a schema: only a migration without filters has this plan.
/// </summary>
/// <param name="OwnersAndGrants">Give each object its source owner and grants (the command line's --owners-and-grants).</param>
/// <param name="EstimatedBytes">The size of the source's pg_largeobject: what the sets hold, roughly.</param>
public sealed record LargeObjectPlan(IReadOnlyList<LargeObjectSet> Sets, bool OwnersAndGrants, long EstimatedBytes)
{
    /// <summary>Objects per set at most: pg_dump restores large objects in groups of the same size.</summary>
    public const int MaxObjectsPerSet = 1000;

    /// <summary>Sets wanted when there are few objects, so that several copy at once.</summary>
    public const int SetsWanted = 16;

    /// <summary>
    /// The table large objects live in, which chunks, checkpoints and progress name them by. No user table can
    /// have this name; what tells large objects from tables in results and progress is their <see cref="DataKind"/>.
    /// </summary>
    public static QualifiedName Table { get; } = new("pg_catalog", "pg_largeobject");

    /// <summary>Large objects as the one table they live in: rows are objects.</summary>
    [JsonIgnore]
    public TableLayout Layout => new()
    {
        Schema = Table.Schema,
        Name = Table.Name,
        Columns = [],
        KeyColumns = [new CopyColumn("loid", "oid", IsInteger: true)],
        UsesTextFormat = false,
        EstimatedRows = Sets.Sum(s => s.Objects),
        EstimatedBytes = EstimatedBytes,
    };

    public CopyChunk ChunkOf(LargeObjectSet set) => new()
    {
        Id = set.Id,
        Table = Table,
        Kind = ChunkKind.KeyRange,
        LowerKey = [set.AfterOid.ToString(CultureInfo.InvariantCulture)],
        UpperKey = [set.LastOid.ToString(CultureInfo.InvariantCulture)],
        EstimatedRows = set.Objects,
        EstimatedBytes = EstimatedBytes / Math.Max(1, Sets.Count),
    };

    /// <summary>The plan of the source's large objects, or null when it has none.</summary>
    public static async Task<LargeObjectPlan?> ReadAsync(NpgsqlDataSource source, bool ownersAndGrants, CancellationToken cancellationToken = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long count;
        long bytes;
        await using (var size = new NpgsqlCommand("SELECT count(*), pg_relation_size('pg_catalog.pg_largeobject') FROM pg_catalog.pg_largeobject_metadata", connection, transaction))
        await using (var reader = await size.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (count, bytes) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (count == 0)
        {
            return null;
        }

        var perSet = Math.Clamp((count + SetsWanted - 1) / SetsWanted, 1, MaxObjectsPerSet);
        await using var command = new NpgsqlCommand(
            "SELECT max(oid)::int8, count(*) FROM (SELECT oid, (row_number() OVER (ORDER BY oid) - 1) / $1 AS s FROM pg_catalog.pg_largeobject_metadata) o GROUP BY s ORDER BY s",
            connection,
            transaction);
        command.Parameters.AddWithValue(perSet);
        var sets = new List<LargeObjectSet>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var after = sets.Count == 0 ? 0 : sets[^1].LastOid;
                sets.Add(new LargeObjectSet(string.Create(CultureInfo.InvariantCulture, $"lo-{sets.Count:D5}"), after, reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        return new LargeObjectPlan(sets, ownersAndGrants, bytes);
    }
}
