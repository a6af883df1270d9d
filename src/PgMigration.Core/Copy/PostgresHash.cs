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
        var hash = new BytesHash(key.Length, seed);
        hash.Append(key);
        return hash.Finish();
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
            var a = Golden + sizeof(uint) + Salt;
            var b = a;
            var c = a;
            if (seed != 0)
            {
                a += (uint)((ulong)seed >> 32);
                b += (uint)seed;
                Mix(ref a, ref b, ref c);
            }

            (_a, _b, _c) = (a, b, c);
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
            _a = _b = _c = Golden + (uint)length + Salt;
            if (seed != 0)
            {
                _a += (uint)((ulong)seed >> 32);
                _b += (uint)seed;
                Mix(ref _a, ref _b, ref _c);
            }
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

                Consume(_pending);
                _pendingCount = 0;
            }

            while (data.Length >= 12)
            {
                Consume(data);
                data = data[12..];
            }

            // The tail starts on zeros: Finish adds it a word at a time.
            _pending = default;
            data.CopyTo(_pending);
            _pendingCount = data.Length;
        }

        public long Finish()
        {
            // The server adds the tail byte by byte, little-endian, leaving the lowest byte of c for the length;
            // with the bytes past the tail zero, that is three whole words, c's shifted up a byte.
            ReadOnlySpan<byte> k = _pending;
            _a += BinaryPrimitives.ReadUInt32LittleEndian(k);
            _b += BinaryPrimitives.ReadUInt32LittleEndian(k[4..]);
            _c += BinaryPrimitives.ReadUInt32LittleEndian(k[8..]) << 8;
            Final(ref _a, ref _b, ref _c);
            return (long)(((ulong)_b << 32) | _c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Consume(ReadOnlySpan<byte> block)
        {
            _a += BinaryPrimitives.ReadUInt32LittleEndian(block);
            _b += BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
            _c += BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
            Mix(ref _a, ref _b, ref _c);
        }

        [InlineArray(12)]
        private struct Block
        {
            private byte _first;
        }
    }
}
