using System.Buffers.Binary;
using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Copy;

/// <summary>
/// Counts and hashes the tuples of a table's binary COPY stream as it passes, without buffering it: each row's
/// hash is the one <see cref="RowHashSql.Aggregate"/> makes the target compute from what it stored, so the sum
/// over the rows streamed is what the target must be found to hold. The columns of a <see cref="ColumnHashKind"/>
/// other than <see cref="ColumnHashKind.SourceText"/> are hashed here from their binary forms; the source's hash
/// of the rest arrives as the tuple's last field (<see cref="RowHashSql.SourceColumn"/>), which is taken off the
/// stream before it goes to the target.
/// </summary>
internal sealed class StreamedRowHasher
{
    private const int SignatureAndFlags = 11 + 4;

    private enum State
    {
        Header,
        HeaderExtensionLength,
        HeaderExtension,
        TupleFieldCount,
        FieldLength,
        FieldData,
        Finished,
    }

    private readonly TableLayout _table;
    private readonly bool _comparable;
    private readonly ColumnHashKind[] _kinds;
    private readonly long[] _seeds;
    private readonly long[] _nullHashes;
    private readonly PostgresHash.SeededUInt32[] _integerHashes;
    private readonly int _fields;
    private readonly byte[] _partial = new byte[4];
    private State _state = State.Header;
    private int _partialCount;
    private long _skip = SignatureAndFlags;
    private int _field;
    private int _fieldLength;
    private long _rowHash;
    private Int128 _sum;

    // A value split across reads: fixed-size and blank-trimmed ones are gathered, text-like ones hashed as they come.
    private byte[] _gathered = new byte[64];
    private int _gatheredCount;
    private PostgresHash.BytesHash _streaming;

    // Where values are written out to be hashed (text forms, hex, inet's parts): a stackalloc in each hash
    // zeroed its buffer and checked a stack cookie for every value.
    private byte[] _scratch = new byte[512];

    /// <param name="comparable">
    /// The target can compute the same hashes (<see cref="RowHashSql.Comparable"/>), and the COPY carries the
    /// source's column where the table needs one; otherwise the rows are only counted and <see cref="Hash"/> is null.
    /// </param>
    public StreamedRowHasher(TableLayout table, bool comparable)
    {
        _table = table;
        _comparable = comparable;
        _kinds = [.. table.Columns.Select(c => comparable ? c.Hash : ColumnHashKind.SourceText)];
        _seeds = [.. _kinds.Select((_, index) => RowHashSql.SeedOf(index))];
        _nullHashes = [.. _seeds.Select(RowHashSql.NullHash)];
        _integerHashes = [.. _seeds.Select(seed => new PostgresHash.SeededUInt32(seed))];
        HasSourceColumn = comparable && RowHashSql.SourceColumn(table) is not null;
        _fields = _kinds.Length + (HasSourceColumn ? 1 : 0);
    }

    /// <summary>How many bytes more than the block <see cref="Observe"/> may write: a field length or count split across reads is written whole with the read that completes it.</summary>
    public const int OutputSlack = 8;

    /// <summary>The stream carries the source's share of each row's hash as an extra last field, which <see cref="Observe"/> takes off.</summary>
    public bool HasSourceColumn { get; }

    public long Rows { get; private set; }

    public RowSetHash? Hash => _comparable ? new((UInt128)_sum) : null;

    /// <summary>
    /// Hashes the next block of the stream. Where the stream has the source's column, the block without it is
    /// written to <paramref name="output"/> (<see cref="OutputSlack"/> bytes longer than <paramref name="data"/>) and its length returned; otherwise
    /// the block goes on unchanged and <paramref name="output"/> is not touched.
    /// </summary>
    public int Observe(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var written = 0;
        var position = 0;
        while (position < data.Length && _state != State.Finished)
        {
            switch (_state)
            {
                case State.Header:
                case State.HeaderExtension:
                    var skipped = (int)Math.Min(_skip, data.Length - position);
                    Emit(data.Slice(position, skipped), output, ref written);
                    position += skipped;
                    _skip -= skipped;
                    if (_skip == 0)
                    {
                        _state = _state == State.Header ? State.HeaderExtensionLength : State.TupleFieldCount;
                    }

                    break;
                case State.HeaderExtensionLength:
                    if (TryTake(data, ref position, 4, out var extension))
                    {
                        Emit(extension, output, ref written);
                        _skip = BinaryPrimitives.ReadInt32BigEndian(extension);
                        _state = _skip == 0 ? State.TupleFieldCount : State.HeaderExtension;
                    }

                    break;
                case State.TupleFieldCount:
                    // Almost every tuple lies whole in the block: hashed from it at once.
                    if (_partialCount == 0 && TryWholeTuple(data, ref position, output, ref written))
                    {
                        break;
                    }

                    if (TryTake(data, ref position, 2, out var fieldCount))
                    {
                        var fields = BinaryPrimitives.ReadInt16BigEndian(fieldCount);
                        if (fields < 0)
                        {
                            // The trailer, not a tuple.
                            Emit(fieldCount, output, ref written);
                            _state = State.Finished;
                            break;
                        }

                        CheckFieldCount(fields);
                        EmitFieldCount(output, ref written);
                        _rowHash = 0;
                        _field = 0;
                        _state = _fields == 0 ? EndRow() : State.FieldLength;
                    }

                    break;
                case State.FieldLength:
                    if (TryTake(data, ref position, 4, out var length))
                    {
                        if (!IsSourceField)
                        {
                            Emit(length, output, ref written);
                        }

                        _fieldLength = BinaryPrimitives.ReadInt32BigEndian(length);
                        _state = _fieldLength < 0 ? EndNullField() : BeginField();
                    }

                    break;
                case State.FieldData:
                    var piece = data.Slice(position, (int)Math.Min(_skip, data.Length - position));
                    if (!IsSourceField)
                    {
                        Emit(piece, output, ref written);
                    }

                    Absorb(piece);
                    position += piece.Length;
                    _skip -= piece.Length;
                    if (_skip == 0)
                    {
                        _state = EndField(_gathered.AsSpan(0, _gatheredCount));
                    }

                    break;
            }
        }

        Emit(data[position..], output, ref written);
        return HasSourceColumn ? written : data.Length;
    }

    private bool IsSourceField => _field == _kinds.Length;

    // The source's hash is a bigint, gathered like one.
    private ColumnHashKind CurrentKind => IsSourceField ? ColumnHashKind.Int8 : _kinds[_field];

    private bool TryWholeTuple(ReadOnlySpan<byte> data, ref int position, Span<byte> output, ref int written)
    {
        var tuple = data[position..];
        if (tuple.Length < 2 || BinaryPrimitives.ReadInt16BigEndian(tuple) is var fields && fields < 0)
        {
            return false;
        }

        CheckFieldCount(fields);
        var offset = 2;
        var sourceFieldStart = tuple.Length;
        long row = 0;
        for (var field = 0; field < fields; field++)
        {
            if (tuple.Length - offset < 4)
            {
                return false;
            }

            var size = BinaryPrimitives.ReadInt32BigEndian(tuple[offset..]);
            if (field == _kinds.Length)
            {
                sourceFieldStart = offset;
            }

            offset += 4;
            if (size > 0 && tuple.Length - offset < size)
            {
                return false;
            }

            row ^= size < 0 ? NullHash(field) : FieldHash(field, tuple.Slice(offset, size));
            offset += Math.Max(size, 0);
        }

        Rows++;
        _sum += row;
        if (HasSourceColumn)
        {
            EmitFieldCount(output, ref written);
            Emit(tuple[2..sourceFieldStart], output, ref written);
        }

        position += offset;
        return true;
    }

    private State BeginField()
    {
        _skip = _fieldLength;
        _gatheredCount = 0;
        if (IsStreamed(CurrentKind))
        {
            _streaming = BeginStreamed(CurrentKind, _fieldLength, _seeds[_field]);
        }

        return _fieldLength == 0 ? EndField(ReadOnlySpan<byte>.Empty) : State.FieldData;
    }

    private void Absorb(ReadOnlySpan<byte> piece)
    {
        if (CurrentKind == ColumnHashKind.SourceText)
        {
            return;
        }

        if (IsStreamed(CurrentKind))
        {
            AppendStreamed(ref _streaming, CurrentKind, piece, first: _skip == _fieldLength);
            return;
        }

        if (_gathered.Length - _gatheredCount < piece.Length)
        {
            Array.Resize(ref _gathered, Math.Max(_gathered.Length * 2, _gatheredCount + piece.Length));
        }

        piece.CopyTo(_gathered.AsSpan(_gatheredCount));
        _gatheredCount += piece.Length;
    }

    private State EndNullField()
    {
        _rowHash ^= NullHash(_field);
        return NextField();
    }

    // The value as gathered; the streamed kinds have hashed theirs already.
    private State EndField(ReadOnlySpan<byte> gathered)
    {
        _rowHash ^= IsStreamed(CurrentKind) ? _streaming.Finish() : FieldHash(_field, gathered);
        return NextField();
    }

    private State NextField()
    {
        _field++;
        return _field < _fields ? State.FieldLength : EndRow();
    }

    private State EndRow()
    {
        Rows++;
        _sum += _rowHash;
        return State.TupleFieldCount;
    }

    private long NullHash(int field) => field < _kinds.Length && _kinds[field] != ColumnHashKind.SourceText
        ? _nullHashes[field]
        : field < _kinds.Length ? 0 : throw new InvalidDataException($"The source's row hash of {_table.DisplayName} is NULL: the COPY is not the one this copier asked for.");

    private long FieldHash(int field, ReadOnlySpan<byte> value)
    {
        if (field == _kinds.Length)
        {
            return value.Length == 8
                ? BinaryPrimitives.ReadInt64BigEndian(value)
                : throw new InvalidDataException($"The source's row hash of {_table.DisplayName} has {value.Length} bytes, not 8: the COPY is not the one this copier asked for.");
        }

        var seed = _seeds[field];
        switch (_kinds[field])
        {
            case ColumnHashKind.SourceText:
                return 0;
            case ColumnHashKind.Bool:
                return _integerHashes[field].Hash(value[0] == 0 ? 0u : 1u);
            case ColumnHashKind.Int2:
                return _integerHashes[field].Hash((uint)(int)BinaryPrimitives.ReadInt16BigEndian(value));
            case ColumnHashKind.Int4:
                return _integerHashes[field].Hash((uint)BinaryPrimitives.ReadInt32BigEndian(value));
            case ColumnHashKind.Oid:
                return _integerHashes[field].Hash(BinaryPrimitives.ReadUInt32BigEndian(value));
            case ColumnHashKind.Int8 or ColumnHashKind.Timestamp or ColumnHashKind.TimestampTz:
                return _integerHashes[field].Hash(BinaryPrimitives.ReadInt64BigEndian(value));
            case ColumnHashKind.Float4:
                return Float8Hash(BinaryPrimitives.ReadSingleBigEndian(value), seed);
            case ColumnHashKind.Float8:
                return Float8Hash(BinaryPrimitives.ReadDoubleBigEndian(value), seed);
            case ColumnHashKind.Date:
                return BinaryPrimitives.ReadInt32BigEndian(value) switch
                {
                    int.MinValue => PostgresHash.Bytes("-infinity"u8, seed),
                    int.MaxValue => PostgresHash.Bytes("infinity"u8, seed),
                    var day => _integerHashes[field].Hash((uint)day),
                };
            case ColumnHashKind.Numeric:
                var numeric = Scratch(NumericText.MaxLength(value));
                return PostgresHash.Bytes(numeric[..NumericText.Write(value, numeric)], seed);
            case ColumnHashKind.IntegerArray:
                var array = Scratch(IntegerArrayText.MaxLength(value));
                return PostgresHash.Bytes(array[..IntegerArrayText.Write(value, array)], seed);
            case ColumnHashKind.Inet:
                return InetHash(value, seed);
            case ColumnHashKind.Bpchar:
                return PostgresHash.Bytes(value[..(value.LastIndexOfAnyExcept((byte)' ') + 1)], seed);
            case var kind when IsStreamed(kind):
                var hash = BeginStreamed(kind, value.Length, seed);
                AppendStreamed(ref hash, kind, value, first: true);
                return hash.Finish();
            default:
                // uuid: its 16 bytes.
                return PostgresHash.Bytes(value, seed);
        }
    }

    // The binary form is family, mask length, a cidr flag, the address length, then the address; the server
    // hashes its family, mask length and address.
    private long InetHash(ReadOnlySpan<byte> value, long seed)
    {
        var inet = Scratch(2 + 16);
        value[..2].CopyTo(inet);
        value[4..].CopyTo(inet[2..]);
        return PostgresHash.Bytes(inet[..(value.Length - 2)], seed);
    }

    // The kinds whose values can be long: hashed as their pieces arrive instead of gathered whole.
    private static bool IsStreamed(ColumnHashKind kind) =>
        kind is ColumnHashKind.Text or ColumnHashKind.Json or ColumnHashKind.Jsonb or ColumnHashKind.Bytea;

    // What each streamed kind hashes: text and json their bytes, jsonb its text after the version byte, bytea its
    // hex text. The length, which the hash starts from, is the binary value's.
    private static PostgresHash.BytesHash BeginStreamed(ColumnHashKind kind, int length, long seed)
    {
        switch (kind)
        {
            case ColumnHashKind.Jsonb:
                return new PostgresHash.BytesHash(Math.Max(length - 1, 0), seed);
            case ColumnHashKind.Bytea:
                var hex = new PostgresHash.BytesHash(2 + (2 * length), seed);
                hex.Append(@"\x"u8);
                return hex;
            default:
                return new PostgresHash.BytesHash(length, seed);
        }
    }

    /// <param name="first">The piece starts the value (where jsonb has its version byte).</param>
    private void AppendStreamed(ref PostgresHash.BytesHash hash, ColumnHashKind kind, ReadOnlySpan<byte> piece, bool first)
    {
        switch (kind)
        {
            case ColumnHashKind.Jsonb:
                hash.Append(first && !piece.IsEmpty ? piece[1..] : piece);
                break;
            case ColumnHashKind.Bytea:
                AppendHex(ref hash, piece);
                break;
            default:
                hash.Append(piece);
                break;
        }
    }

    // hashfloat8extended: the seed for either zero, one NaN for every NaN, the value's bytes otherwise; the
    // expression adds the text of a zero, "0" or "-0". real is widened first, as hashfloat4extended does.
    private static long Float8Hash(double value, long seed)
    {
        if (value == 0)
        {
            return seed ^ PostgresHash.Bytes(double.IsNegative(value) ? "-0"u8 : "0"u8, seed);
        }

        return PostgresHash.Bytes8((ulong)BitConverter.DoubleToInt64Bits(double.IsNaN(value) ? CanonicalNaN : value), seed);
    }

    // The NaN the server's hash stands for every NaN with: C's NAN, a positive quiet NaN (.NET's double.NaN is negative).
    private static readonly double CanonicalNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000000);

    // The scratch buffer, at least as long as asked; it grows for the longest value seen.
    private Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        return _scratch;
    }

    private void AppendHex(ref PostgresHash.BytesHash hash, ReadOnlySpan<byte> bytes)
    {
        var hex = Scratch(256);
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, hex.Length / 2);
            Convert.TryToHexStringLower(bytes[..take], hex, out var written);
            hash.Append(hex[..written]);
            bytes = bytes[take..];
        }
    }

    private void CheckFieldCount(int fields)
    {
        if (fields != _fields)
        {
            throw new InvalidDataException(
                $"A row of {_table.DisplayName} came with {fields} fields where the copy asked for {_fields}: the COPY is not the one this copier asked for.");
        }
    }

    private void EmitFieldCount(Span<byte> output, ref int written)
    {
        if (HasSourceColumn)
        {
            BinaryPrimitives.WriteInt16BigEndian(output[written..], (short)(_fields - 1));
            written += 2;
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes, Span<byte> output, ref int written)
    {
        if (HasSourceColumn)
        {
            bytes.CopyTo(output[written..]);
            written += bytes.Length;
        }
    }

    // Integers may straddle two reads; the few bytes of one are gathered in _partial.
    private bool TryTake(ReadOnlySpan<byte> data, ref int position, int size, out ReadOnlySpan<byte> value)
    {
        if (_partialCount == 0 && data.Length - position >= size)
        {
            value = data.Slice(position, size);
            position += size;
            return true;
        }

        var take = Math.Min(size - _partialCount, data.Length - position);
        data.Slice(position, take).CopyTo(_partial.AsSpan(_partialCount));
        position += take;
        _partialCount += take;
        if (_partialCount < size)
        {
            value = default;
            return false;
        }

        _partialCount = 0;
        value = _partial.AsSpan(0, size);
        return true;
    }
}
