using Npgsql;
using PgMigration.Core.Copy;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class BinaryCopyRowCounterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Rows_are_counted_whatever_the_read_sizes(int sliceSize)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("rowcount");
        await database.ExecuteAsync("""
            CREATE TABLE t (a integer, b text, c bytea, d integer[]);
            INSERT INTO t SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('x', i % 300) END, '\x'::bytea, ARRAY[i] FROM generate_series(1, 1234) i;
            INSERT INTO t VALUES (NULL, NULL, NULL, NULL);
            """);
        var stream = new MemoryStream();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var copy = await connection.BeginRawBinaryCopyAsync("COPY t TO STDOUT (FORMAT binary)");
            await copy.CopyToAsync(stream);
        }

        var counter = new BinaryCopyRowCounter();
        var bytes = stream.ToArray();
        for (var offset = 0; offset < bytes.Length; offset += sliceSize)
        {
            counter.Observe(bytes.AsSpan(offset, Math.Min(sliceSize, bytes.Length - offset)));
        }

        Assert.Equal(1235, counter.Rows);
    }
}
