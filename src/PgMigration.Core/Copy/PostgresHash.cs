using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace PgMigration.Core.Copy;

/// <summary>
/// PostgreSQL's extended (64-bit, seeded) hash functions as the server computes them: Bob Jenkins' lookup3
/// mixing, which the server's hash_bytes_extended and hash_bytes_uint32_extended use for hashtextextended,
/// hashint4extended and the rest. The copy computes these over values as they stream from the source, and the
/// target's own functions over the values it stored must give the same numbers: hash partitioning depends on
/// them, so the server keeps them unchanged across versions.
/// </summary>
internal static class PostgresHash
{
    private const uint Golden = 0x9e3779b9;

    private const uint Salt = 3923095;

    /// <summary>hash_bytes_extended: what hashtextextended, uuid_hash_extended and the other byte hashes return.</summary>
    public static long Bytes(ReadOnlySpan<byte> key, long seed)
    {
        // In locals, not in a BytesHash: a struct's fields stay in memory through every mix, which made hashing
        // the benchmark's rows take twice as long.
        var (a, b, c) = Start(key.Length, seed);
        while (key.Length >= 12)
        {
            Consume(ref a, ref b, ref c, key);
            key = key[12..];
        }

        var block = default(BytesHash.Block);
        key.CopyTo(block);
        return End(a, b, c, block);
    }

    /// <summary>hash_bytes_extended of 8 bytes, given as the little-endian number they make (hashfloat8extended's key).</summary>
    public static long Bytes8(ulong key, long seed)
    {
        var (a, b, c) = Start(sizeof(ulong), seed);
        return End(a + (uint)key, b + (uint)(key >> 32), c);
    }

    // The state before the key's bytes: its length and the seed mixed in.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint A, uint B, uint C) Start(int length, long seed)
    {
        var a = Golden + (uint)length + Salt;
        var b = a;
        var c = a;
        if (seed != 0)
        {
            a += (uint)((ulong)seed >> 32);
            b += (uint)seed;
            Mix(ref a, ref b, ref c);
        }

        return (a, b, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consume(ref uint a, ref uint b, ref uint c, ReadOnlySpan<byte> block)
    {
        a += BinaryPrimitives.ReadUInt32LittleEndian(block);
        b += BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        c += BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        Mix(ref a, ref b, ref c);
    }

    // The server adds the tail byte by byte, little-endian, leaving the lowest byte of c for the length; with the
    // bytes past the tail zero, that is three whole words, c's shifted up a byte.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long End(uint a, uint b, uint c, ReadOnlySpan<byte> tail) =>
        End(a + BinaryPrimitives.ReadUInt32LittleEndian(tail), b + BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]), c + (BinaryPrimitives.ReadUInt32LittleEndian(tail[8..]) << 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long End(uint a, uint b, uint c)
    {
        Final(ref a, ref b, ref c);
        return (long)(((ulong)b << 32) | c);
    }

    /// <summary>hash_bytes_uint32_extended: what hashint4extended, hashint2extended and hashoidextended return.</summary>
    public static long UInt32(uint key, long seed) => new SeededUInt32(seed).Hash(key);

    /// <summary>hashint8extended (and timestamp_hash_extended): the high half folded into the low one, so that equal values of int2, int4 and int8 hash alike.</summary>
    public static long Int64(long key, long seed) => new SeededUInt32(seed).Hash(key);

    /// <summary>
    /// hash_bytes_uint32_extended with its seed mixed in once: the state before the key is added depends only
    /// on the seed, so a column hashes each of its values with one final mix instead of two.
    /// </summary>
    public readonly struct SeededUInt32
    {
        private readonly uint _a;
        private readonly uint _b;
        private readonly uint _c;

        public SeededUInt32(long seed)
        {
            (_a, _b, _c) = Start(sizeof(uint), seed);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Hash(uint key)
        {
            var (a, b, c) = (_a + key, _b, _c);
            Final(ref a, ref b, ref c);
            return (long)(((ulong)b << 32) | c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Hash(long key)
        {
            var low = (uint)key;
            var high = (uint)((ulong)key >> 32);
            return Hash(low ^ (key >= 0 ? high : ~high));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }

    /// <summary>
    /// hash_bytes_extended fed in pieces, for a value that arrives split across reads: the length, which the
    /// hash starts from, is known from the field's header before its bytes come.
    /// </summary>
    public struct BytesHash
    {
        private uint _a;
        private uint _b;
        private uint _c;
        private Block _pending;
        private int _pendingCount;

        public BytesHash(int length, long seed)
        {
            (_a, _b, _c) = Start(length, seed);
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            if (_pendingCount > 0)
            {
                var take = Math.Min(12 - _pendingCount, data.Length);
                data[..take].CopyTo(((Span<byte>)_pending)[_pendingCount..]);
                _pendingCount += take;
                data = data[take..];
                if (_pendingCount < 12)
                {
                    return;
                }

                Consume(ref _a, ref _b, ref _c, _pending);
                _pendingCount = 0;
            }

            // The state in locals through the loop (see Bytes).
            var (a, b, c) = (_a, _b, _c);
            while (data.Length >= 12)
            {
                Consume(ref a, ref b, ref c, data);
                data = data[12..];
            }

            (_a, _b, _c) = (a, b, c);

            // The tail starts on zeros: Finish adds it a word at a time.
            _pending = default;
            data.CopyTo(_pending);
            _pendingCount = data.Length;
        }

        public readonly long Finish() => End(_a, _b, _c, _pending);

        [InlineArray(12)]
        internal struct Block
        {
            private byte _first;
        }
    }
}
