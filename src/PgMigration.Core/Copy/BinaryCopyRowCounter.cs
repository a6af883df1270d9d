using System.Buffers.Binary;

namespace PgMigration.Core.Copy;

/// <summary>
/// Counts the tuples in a PostgreSQL binary COPY stream as it passes through, without buffering it:
/// the rows moved are reported exactly even though the bytes are never decoded.
/// </summary>
public sealed class BinaryCopyRowCounter
{
    private const int SignatureAndFlags = 11 + 4;

    private enum State
    {
        Header,
        HeaderExtensionLength,
        TupleFieldCount,
        FieldLength,
        Skip,
        Finished,
    }

    private readonly byte[] _partial = new byte[4];
    private State _state = State.Header;
    private int _partialCount;
    private long _skip = SignatureAndFlags;
    private int _fieldsLeft;

    public long Rows { get; private set; }

    public void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && _state != State.Finished)
        {
            switch (_state)
            {
                case State.Header:
                case State.Skip:
                    var skipped = (int)Math.Min(_skip, data.Length);
                    data = data[skipped..];
                    _skip -= skipped;
                    if (_skip == 0)
                    {
                        _state = _state == State.Header ? State.HeaderExtensionLength : NextAfterField();
                    }

                    break;
                case State.HeaderExtensionLength:
                    if (TryTake(ref data, 4, out var extension))
                    {
                        _skip = BinaryPrimitives.ReadInt32BigEndian(extension);
                        _state = _skip == 0 ? State.TupleFieldCount : State.Skip;
                        _fieldsLeft = 0;
                    }

                    break;
                case State.TupleFieldCount:
                    if (TryTake(ref data, 2, out var fieldCount))
                    {
                        var fields = BinaryPrimitives.ReadInt16BigEndian(fieldCount);
                        if (fields < 0)
                        {
                            _state = State.Finished;
                            break;
                        }

                        Rows++;
                        _fieldsLeft = fields;
                        _state = fields == 0 ? State.TupleFieldCount : State.FieldLength;
                    }

                    break;
                case State.FieldLength:
                    if (TryTake(ref data, 4, out var length))
                    {
                        _fieldsLeft--;
                        var size = BinaryPrimitives.ReadInt32BigEndian(length);
                        if (size > 0)
                        {
                            _skip = size;
                            _state = State.Skip;
                        }
                        else
                        {
                            _state = NextAfterField();
                        }
                    }

                    break;
            }
        }
    }

    private State NextAfterField() => _fieldsLeft > 0 ? State.FieldLength : State.TupleFieldCount;

    // Integers may straddle two reads; the few bytes of one are gathered in _partial.
    private bool TryTake(ref ReadOnlySpan<byte> data, int size, out ReadOnlySpan<byte> value)
    {
        if (_partialCount == 0 && data.Length >= size)
        {
            value = data[..size];
            data = data[size..];
            return true;
        }

        var take = Math.Min(size - _partialCount, data.Length);
        data[..take].CopyTo(_partial.AsSpan(_partialCount));
        data = data[take..];
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
