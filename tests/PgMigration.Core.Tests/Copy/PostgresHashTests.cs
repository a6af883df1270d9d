using System.Globalization;
using System.Text;
using PgMigration.Core.Copy;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class PostgresHashTests
{
    private static readonly long[] Seeds = [0, 1, 7, -1, long.MinValue, 0x1234_5678_9abc_def0];

    [Fact]
    public async Task Byte_hashes_equal_the_servers_hashtextextended_for_every_tail_length_and_seed()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("pghash");
        var texts = Enumerable.Range(0, 40).Select(n => new string(Enumerable.Range(0, n).Select(i => (char)('a' + ((i * 7 + n) % 26))).ToArray()))
            .Append("héllo wörld ✓ 日本").Append(new string('x', 1000)).ToList();
        foreach (var seed in Seeds)
        {
            var expected = await database.ScalarAsync<long[]>(
                $"SELECT array_agg(hashtextextended(t COLLATE \"C\", {seed}) ORDER BY n) FROM unnest(ARRAY[{string.Join(", ", texts.Select(t => $"'{t}'"))}]::text[]) WITH ORDINALITY AS u(t, n)");
            var actual = texts.Select(t => PostgresHash.Bytes(Encoding.UTF8.GetBytes(t), seed)).ToArray();
            Assert.Equal(expected, actual);

            // Fed in pieces of every size, the hash is the same.
            var longest = Encoding.UTF8.GetBytes(texts[^1]);
            for (var piece = 1; piece <= 13; piece++)
            {
                var hash = new PostgresHash.BytesHash(longest.Length, seed);
                for (var offset = 0; offset < longest.Length; offset += piece)
                {
                    hash.Append(longest.AsSpan(offset, Math.Min(piece, longest.Length - offset)));
                }

                Assert.Equal(expected[^1], hash.Finish());
            }
        }
    }

    [Fact]
    public async Task Integer_hashes_equal_the_servers_for_edge_values_and_seeds()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync("pghashint");
        long[] values = [0, 1, -1, 42, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, (long)int.MinValue - 1, long.MaxValue, long.MinValue, 0x1_0000_0001, -0x1_0000_0001];
        foreach (var seed in Seeds)
        {
            var list = string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            var int8 = await database.ScalarAsync<long[]>($"SELECT array_agg(hashint8extended(v, {seed}) ORDER BY n) FROM unnest('{{{list}}}'::int8[]) WITH ORDINALITY AS u(v, n)");
            Assert.Equal(int8, values.Select(v => PostgresHash.Int64(v, seed)).ToArray());

            var small = values.Where(v => v is >= int.MinValue and <= int.MaxValue).ToArray();
            var int4 = await database.ScalarAsync<long[]>(
                $"SELECT array_agg(hashint4extended(v::int4, {seed}) ORDER BY n) FROM unnest('{{{string.Join(",", small)}}}'::int8[]) WITH ORDINALITY AS u(v, n)");
            Assert.Equal(int4, small.Select(v => PostgresHash.UInt32((uint)(int)v, seed)).ToArray());
        }
    }
}
