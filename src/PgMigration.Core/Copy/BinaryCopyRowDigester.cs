using System.Buffers.Binary;
using System.IO.Hashing;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Verification;

namespace PgMigration.Core.Copy;

/// <summary>
/// Counts and hashes the tuples of a PostgreSQL binary COPY stream as it passes through, without buffering
/// it: the rows moved are reported exactly, and <see cref="Hash"/> sums an XxHash128 of each tuple's bytes
/// (its field count, then each field's length and bytes, so NULL and empty differ), never decoding a value.
/// The target read back as binary COPY through another digester gives the same hash when it holds the same rows.
/// </summary>
internal sealed class BinaryCopyRowDigester
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

    private readonly byte[] _partial = new byte[4];
    private readonly XxHash128 _rowHash = new();
    private State _state = State.Header;
    private int _partialCount;
    private long _skip = SignatureAndFlags;
    private int _fieldsLeft;
    private bool _inRow;

    // Set when bytes of the current tuple came in an earlier call: they are in _rowHash already.
    private bool _rowHashStarted;
    private UInt128 _sum;

    public long Rows { get; private set; }

    public RowSetHash Hash => new(_sum);

    public void Observe(ReadOnlySpan<byte> data)
    {
        var position = 0;
        // Where this call's bytes of the current tuple begin; a tuple is hashed as one span where it is contiguous, which is almost always.
        var pending = _inRow ? 0 : -1;
        while (position < data.Length && _state != State.Finished)
        {
            switch (_state)
            {
                case State.Header:
                case State.HeaderExtension:
                case State.FieldData:
                    var skipped = (int)Math.Min(_skip, data.Length - position);
                    position += skipped;
                    _skip -= skipped;
                    if (_skip == 0)
                    {
                        _state = _state switch
                        {
                            State.Header => State.HeaderExtensionLength,
                            State.HeaderExtension => State.TupleFieldCount,
                            _ => AfterField(data, ref pending, position),
                        };
                    }

                    break;
                case State.HeaderExtensionLength:
                    if (TryTake(data, ref position, 4, out var extension))
                    {
                        _skip = BinaryPrimitives.ReadInt32BigEndian(extension);
                        _state = _skip == 0 ? State.TupleFieldCount : State.HeaderExtension;
                    }

                    break;
                case State.TupleFieldCount:
                    // Almost every tuple lies whole in the block: measured in one tight loop and hashed at once.
                    if (_partialCount == 0 && WholeTupleLength(data[position..]) is { } whole)
                    {
                        Rows++;
                        _sum += XxHash128.HashToUInt128(data.Slice(position, whole));
                        position += whole;
                        break;
                    }

                    if (_partialCount == 0)
                    {
                        BeginRow();
                        pending = position;
                    }

                    if (TryTake(data, ref position, 2, out var fieldCount))
                    {
                        var fields = BinaryPrimitives.ReadInt16BigEndian(fieldCount);
                        if (fields < 0)
                        {
                            // The trailer, not a tuple.
                            _inRow = false;
                            pending = -1;
                            _state = State.Finished;
                            break;
                        }

                        Rows++;
                        _fieldsLeft = fields;
                        _state = fields == 0 ? EndRow(data, ref pending, position) : State.FieldLength;
                    }

                    break;
                case State.FieldLength:
                    if (TryTake(data, ref position, 4, out var length))
                    {
                        _fieldsLeft--;
                        var size = BinaryPrimitives.ReadInt32BigEndian(length);
                        if (size > 0)
                        {
                            _skip = size;
                            _state = State.FieldData;
                        }
                        else
                        {
                            _state = AfterField(data, ref pending, position);
                        }
                    }

                    break;
            }
        }

        if (_inRow && pending >= 0)
        {
            // The tuple goes on in the next call.
            _rowHash.Append(data[pending..position]);
            _rowHashStarted = true;
        }
    }

    /// <summary>The length of the tuple at the start of <paramref name="data"/>; null when it goes on past its end, or is the trailer.</summary>
    private static int? WholeTupleLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return null;
        }

        var fields = BinaryPrimitives.ReadInt16BigEndian(data);
        if (fields < 0)
        {
            return null;
        }

        var length = 2;
        for (var field = 0; field < fields; field++)
        {
            if (data.Length - length < 4)
            {
                return null;
            }

            var size = BinaryPrimitives.ReadInt32BigEndian(data[length..]);
            length += 4;
            if (size > 0)
            {
                if (data.Length - length < size)
                {
                    return null;
                }

                length += size;
            }
        }

        return length;
    }

    private void BeginRow()
    {
        _inRow = true;
        if (_rowHashStarted)
        {
            _rowHash.Reset();
            _rowHashStarted = false;
        }
    }

    private State AfterField(ReadOnlySpan<byte> data, ref int pending, int position) =>
        _fieldsLeft > 0 ? State.FieldLength : EndRow(data, ref pending, position);

    private State EndRow(ReadOnlySpan<byte> data, ref int pending, int position)
    {
        var tail = data[pending..position];
        if (_rowHashStarted)
        {
            _rowHash.Append(tail);
            _sum += _rowHash.GetCurrentHashAsUInt128();
            _rowHash.Reset();
            _rowHashStarted = false;
        }
        else
        {
            _sum += XxHash128.HashToUInt128(tail);
        }

        _inRow = false;
        pending = -1;
        return State.TupleFieldCount;
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
