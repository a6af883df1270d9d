using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class StreamedRowHasherTests
{
    // Every kind the copier hashes itself, and text-form ones the source hashes: NULLs, empty values, values
    // longer than a read, trailing blanks, non-ASCII text, infinities, and a domain over each side.
    private const string EveryKind = """
        CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
        CREATE DOMAIN label AS text;
        CREATE TYPE mood AS ENUM ('calm', 'busy');
        CREATE TABLE t (
            id integer PRIMARY KEY, flag boolean, small smallint, big bigint, o oid, name text, code varchar(20), fixed char(6),
            token uuid, at timestamp, at_tz timestamptz, doc json, docb jsonb, blob bytea,
            amount numeric, ratio float8, tags integer[], day date, span interval, pos positive, tag label, m mood, r int4range, f4 real,
            addr inet, net cidr, i2 smallint[], i8 bigint[]);
        INSERT INTO t SELECT i, i % 2 = 0, (i % 300)::smallint, i::bigint * 3000000000, i::oid, repeat('é', i % 40), 'c' || i, 'ab',
            md5(i::text)::uuid, timestamp '2000-01-01' + i * interval '1 hour', timestamptz '1999-12-31 23:00+00' + i * interval '1 minute',
            json_build_object('i', i, 'x', 1.50), jsonb_build_object('i', i, 'x', 1.50), decode(md5(i::text), 'hex'),
            i / 7.0, i / 3.0, ARRAY[i, i + 1], date '2024-02-29' + i, i * interval '1 second', i, 'l' || i, 'busy', int4range(i, i + 5)
          FROM generate_series(1, 2000) i;
        INSERT INTO t (id) VALUES (0);
        INSERT INTO t (id, name, code, fixed, blob, doc, docb, amount, ratio, tags, at, at_tz, day) VALUES
            (-1, '', '', '', '\x', '{}', '{}', 1.00, '-0', '[0:1]={1,2}', 'infinity', '-infinity', 'infinity'),
            (-2, repeat('long text ✓ ', 30000), repeat('v', 20), 'a  b', decode(repeat('ff00', 100000), 'hex'), '[1]', '[]', 'NaN', 'Infinity', '{}', '2000-01-01', '2000-01-01 00:00+00', '2000-01-01');
        INSERT INTO t (id, amount, ratio, f4, day) VALUES
            (-3, -12345.678900, 'NaN', 'NaN', '4713-01-01 BC'), (-4, 'Infinity', '-Infinity', '-0', '0044-03-15 BC'),
            (-5, '-Infinity', 1e300, 3.4e38, '-infinity'), (-6, 0.000, 5e-324, 1.5, '1999-12-31'), (-7, 1e-20, -1.5e-7, -2.5e-5, '2000-01-01'),
            (-8, 100000000.0001, 123456789012345678, 0.1, '5874897-12-31'), (-9, 9999.9999, 0.1, 1e-45, '0001-01-01'), (-10, 'NaN', 0, 0, '2024-12-31');
        UPDATE t SET addr = CASE WHEN id % 5 = 0 THEN ('2001:db8::' || to_hex(id) || '/' || (64 + id % 65))::inet ELSE ('10.0.' || (id % 256) || '.' || (id % 7) || '/' || (16 + id % 17))::inet END,
            net = CASE WHEN id % 3 = 0 THEN '::ffff:10.0.0.0/120'::cidr ELSE ('10.' || (id % 256) || '.0.0/16')::cidr END,
            i2 = ARRAY[(id % 100)::smallint, NULL], i8 = ARRAY[[id, -id], [0, 9223372036854775807]]
          WHERE id > 0;
        UPDATE t SET i2 = '{}', i8 = '[-3:-2][5:5]={{1},{-9223372036854775808}}', addr = '::1', net = '0.0.0.0/0' WHERE id = -1;
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task The_hash_streamed_through_the_copier_is_the_one_the_server_computes_over_the_stored_rows_whatever_the_read_sizes(int sliceSize)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowhash");
        await database.ExecuteAsync(EveryKind);
        var table = await LayoutAsync(database);
        Assert.Contains(table.Columns, c => c.Hash == ColumnHashKind.SourceText);
        Assert.Equal(ColumnHashKind.Int4, table.Columns.Single(c => c.Name == "pos").Hash);
        Assert.Equal(ColumnHashKind.Text, table.Columns.Single(c => c.Name == "tag").Hash);
        Assert.Equal(ColumnHashKind.Numeric, table.Columns.Single(c => c.Name == "amount").Hash);
        Assert.Equal(ColumnHashKind.Inet, table.Columns.Single(c => c.Name == "net").Hash);
        Assert.Equal(ColumnHashKind.IntegerArray, table.Columns.Single(c => c.Name == "i8").Hash);

        var (hasher, stripped) = Stream(table, await BinaryCopyAsync(database, ChunkSql.CopyOut(table, "true", withRowHash: true)), sliceSize);
        var server = await ServerHashAsync(database, table);

        Assert.Equal(2011, hasher.Rows);
        Assert.Equal(server, (hasher.Rows, hasher.Hash!.Value));
        // What goes on to the target is the plain COPY, byte for byte: the source's share of the hash is taken off.
        Assert.Equal(await BinaryCopyAsync(database, ChunkSql.CopyOut(table, "true", withRowHash: false)), stripped);
    }

    [Fact]
    public async Task A_table_hashed_by_the_copier_alone_streams_unchanged()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowhashplain");
        await database.ExecuteAsync("CREATE TABLE t (a integer, b text, c uuid); INSERT INTO t SELECT i, repeat('x', i % 50), NULL FROM generate_series(1, 500) i;");
        var table = await LayoutAsync(database);
        var copy = await BinaryCopyAsync(database, ChunkSql.CopyOut(table, "true", withRowHash: true));

        var (hasher, _) = Stream(table, copy, 5);

        Assert.False(hasher.HasSourceColumn);
        Assert.Equal(await BinaryCopyAsync(database, ChunkSql.CopyOut(table, "true", withRowHash: false)), copy);
        Assert.Equal(await ServerHashAsync(database, table), (hasher.Rows, hasher.Hash!.Value));
    }

    [Fact]
    public async Task The_hash_ignores_row_order_and_tells_apart_null_and_empty_swapped_columns_scale_signed_zero_array_bounds_and_a_duplicate()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowhashdiff");
        await database.ExecuteAsync(EveryKind);
        var table = await LayoutAsync(database);
        var original = await ServerHashAsync(database, table);
        var reversed = Stream(table, await BinaryCopyAsync(database, ChunkSql.CopyOut(table, "true", withRowHash: true).Replace("WHERE true", "WHERE true ORDER BY id DESC", StringComparison.Ordinal)), 4096).Hasher;
        Assert.Equal(original, (reversed.Rows, reversed.Hash!.Value));

        string[] changes =
        [
            "UPDATE t SET name = '' WHERE id = 0",
            "UPDATE t SET name = tag, tag = name WHERE id = 5",
            "UPDATE t SET amount = 1.0 WHERE id = -1",
            "UPDATE t SET ratio = 0.0 WHERE id = -1",
            "UPDATE t SET f4 = 0 WHERE id = -4",
            "UPDATE t SET addr = set_masklen(addr, 30) WHERE id = 7",
            "UPDATE t SET i8 = '{{1},{-9223372036854775808}}' WHERE id = -1",
            "UPDATE t SET amount = 0 WHERE id = -6",
            "UPDATE t SET day = '0044-03-15' WHERE id = -4",
            "UPDATE t SET tags = '{1,2}' WHERE id = -1",
            "UPDATE t SET fixed = 'a b' WHERE id = -2",
            "UPDATE t SET docb = '{\"i\": 9, \"x\": 1.5}' WHERE id = 9",
            "UPDATE t SET blob = '\\x00' WHERE id = -1",
            "UPDATE t SET at_tz = at_tz + interval '1 microsecond' WHERE id = 3",
        ];
        foreach (var change in changes)
        {
            var changed = await ServerHashAsync(database, table, $"BEGIN; {change}");
            Assert.True(original != changed, $"'{change}' left the hash as it was");
        }

        var doubled = await ServerHashAsync(database, table, "BEGIN; ALTER TABLE t DROP CONSTRAINT t_pkey; INSERT INTO t SELECT * FROM t WHERE id = 5");
        Assert.Equal(original.Rows + 1, doubled.Rows);
        Assert.NotEqual(original.Hash, doubled.Hash);
    }

    private static async Task<TableLayout> LayoutAsync(TestDatabase database)
    {
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        return (await TableLayoutReader.ReadAsync(source)).Single();
    }

    private static (StreamedRowHasher Hasher, byte[] Stripped) Stream(TableLayout table, byte[] copy, int sliceSize)
    {
        var hasher = new StreamedRowHasher(table, comparable: true);
        var stripped = new MemoryStream();
        var output = new byte[sliceSize + StreamedRowHasher.OutputSlack];
        for (var offset = 0; offset < copy.Length; offset += sliceSize)
        {
            var slice = copy.AsSpan(offset, Math.Min(sliceSize, copy.Length - offset));
            var written = hasher.Observe(slice, output);
            stripped.Write(hasher.HasSourceColumn ? output.AsSpan(0, written) : slice);
        }

        return (hasher, stripped.ToArray());
    }

    // The row count and hash sum the target side of verification computes; the change, when given, is made in
    // the same session and rolled back with it.
    private static async Task<(long Rows, RowSetHash Hash)> ServerHashAsync(TestDatabase database, TableLayout table, string? change = null)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var settings = new NpgsqlCommand($"{change ?? "BEGIN"}; {ChunkSql.SessionSettings}", connection))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(RowHashSql.Aggregate(table, "true"), connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), RowSetHash.FromSignedSum(reader.GetString(1)));
    }

    private static async Task<byte[]> BinaryCopyAsync(TestDatabase database, string copyOut)
    {
        var stream = new MemoryStream();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var settings = new NpgsqlCommand($"BEGIN; {ChunkSql.SessionSettings}", connection))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginRawBinaryCopyAsync(copyOut))
        {
            await copy.CopyToAsync(stream);
        }

        return stream.ToArray();
    }
}
