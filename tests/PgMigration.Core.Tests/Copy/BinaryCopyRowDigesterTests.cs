using Npgsql;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Verification;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class BinaryCopyRowDigesterTests
{
    private const string Rows = """
        CREATE TABLE t (a integer, b text, c bytea, d integer[]);
        INSERT INTO t SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('x', i % 300) END, '\x'::bytea, ARRAY[i] FROM generate_series(1, 1234) i;
        INSERT INTO t VALUES (NULL, NULL, NULL, NULL);
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Rows_are_counted_and_hashed_alike_whatever_the_read_sizes(int sliceSize)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowcount");
        await database.ExecuteAsync(Rows);
        var bytes = await BinaryCopyAsync(database, "COPY t TO STDOUT (FORMAT binary)");

        var sliced = Digest(bytes, sliceSize);
        var whole = Digest(bytes, bytes.Length);

        Assert.Equal(1235, sliced.Rows);
        Assert.Equal(whole.Hash, sliced.Hash);
        Assert.NotEqual(RowSetHash.Empty, whole.Hash);
    }

    [Fact]
    public async Task The_hash_ignores_row_order_and_tells_null_from_empty_and_a_duplicate_from_none()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowhash");
        await database.ExecuteAsync(Rows);

        var ascending = Digest(await BinaryCopyAsync(database, "COPY (SELECT * FROM t ORDER BY a NULLS FIRST) TO STDOUT (FORMAT binary)"), 7);
        var descending = Digest(await BinaryCopyAsync(database, "COPY (SELECT * FROM t ORDER BY a DESC NULLS LAST) TO STDOUT (FORMAT binary)"), 4096);
        var emptied = Digest(await BinaryCopyAsync(database, "COPY (SELECT a, coalesce(b, ''), c, d FROM t) TO STDOUT (FORMAT binary)"), 4096);
        var doubled = Digest(await BinaryCopyAsync(database, "COPY (SELECT * FROM t UNION ALL SELECT * FROM t WHERE a = 5) TO STDOUT (FORMAT binary)"), 4096);

        Assert.Equal(ascending.Hash, descending.Hash);
        Assert.NotEqual(ascending.Hash, emptied.Hash);
        Assert.Equal(ascending.Rows + 1, doubled.Rows);
        Assert.NotEqual(ascending.Hash, doubled.Hash);
    }

    private static BinaryCopyRowDigester Digest(byte[] bytes, int sliceSize)
    {
        var digester = new BinaryCopyRowDigester();
        for (var offset = 0; offset < bytes.Length; offset += sliceSize)
        {
            digester.Observe(bytes.AsSpan(offset, Math.Min(sliceSize, bytes.Length - offset)));
        }

        return digester;
    }

    private static async Task<byte[]> BinaryCopyAsync(TestDatabase database, string copyOut)
    {
        var stream = new MemoryStream();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var copy = await connection.BeginRawBinaryCopyAsync(copyOut))
        {
            await copy.CopyToAsync(stream);
        }

        return stream.ToArray();
    }
}
