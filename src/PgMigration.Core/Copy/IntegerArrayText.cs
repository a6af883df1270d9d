using System.Buffers.Binary;
using System.Globalization;

namespace PgMigration.Core.Copy;

/// <summary>
/// Writes a smallint, integer or bigint array's binary COPY form as the server's array_out writes the value:
/// its bounds first where one does not start at 1 (<c>[0:1]={1,2}</c>), nested braces per dimension, NULL
/// for a null element. What the target hashes when it verifies such a column.
/// </summary>
internal static class IntegerArrayText
{
    private const int HeaderLength = 12;

    /// <summary>The longest text for this binary form: every element as its widest number, with a separator.</summary>
    public static int MaxLength(ReadOnlySpan<byte> binary)
    {
        var dimensions = BinaryPrimitives.ReadInt32BigEndian(binary);
        // 22 characters per element and per bound pair covers the widest bigint and "[-2147483648:2147483647]" with a separator.
        var elements = 1L;
        for (var d = 0; d < dimensions; d++)
        {
            elements *= BinaryPrimitives.ReadInt32BigEndian(binary[(HeaderLength + (8 * d))..]);
        }

        return (int)Math.Min(int.MaxValue, 8 + (24 * (elements + dimensions)) + (2 * dimensions * Math.Max(elements, 1)));
    }

    /// <summary>Writes the text into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> binary, Span<byte> text)
    {
        var dimensions = BinaryPrimitives.ReadInt32BigEndian(binary);
        if (dimensions == 0)
        {
            "{}"u8.CopyTo(text);
            return 2;
        }

        Span<int> lengths = stackalloc int[dimensions];
        Span<int> lowerBounds = stackalloc int[dimensions];
        var showBounds = false;
        for (var d = 0; d < dimensions; d++)
        {
            lengths[d] = BinaryPrimitives.ReadInt32BigEndian(binary[(HeaderLength + (8 * d))..]);
            lowerBounds[d] = BinaryPrimitives.ReadInt32BigEndian(binary[(HeaderLength + (8 * d) + 4)..]);
            showBounds |= lowerBounds[d] != 1;
        }

        var length = 0;
        if (showBounds)
        {
            for (var d = 0; d < dimensions; d++)
            {
                length += Ascii(text[length..], $"[{lowerBounds[d]}:{lowerBounds[d] + lengths[d] - 1}]");
            }

            text[length++] = (byte)'=';
        }

        var position = HeaderLength + (8 * dimensions);
        Span<int> counters = stackalloc int[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            text[length++] = (byte)'{';
        }

        while (true)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(binary[position..]);
            position += 4;
            if (size < 0)
            {
                length += Ascii(text[length..], "NULL");
            }
            else
            {
                var element = binary.Slice(position, size);
                long value = size switch
                {
                    2 => BinaryPrimitives.ReadInt16BigEndian(element),
                    4 => BinaryPrimitives.ReadInt32BigEndian(element),
                    _ => BinaryPrimitives.ReadInt64BigEndian(element),
                };
                value.TryFormat(text[length..], out var written, provider: CultureInfo.InvariantCulture);
                length += written;
                position += size;
            }

            // Close the dimensions this element ends, innermost first; open them again for the next element.
            var d = dimensions - 1;
            while (d >= 0 && ++counters[d] == lengths[d])
            {
                counters[d] = 0;
                text[length++] = (byte)'}';
                d--;
            }

            if (d < 0)
            {
                return length;
            }

            text[length++] = (byte)',';
            for (var reopened = d + 1; reopened < dimensions; reopened++)
            {
                text[length++] = (byte)'{';
            }
        }
    }

    private static int Ascii(Span<byte> text, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            text[i] = (byte)value[i];
        }

        return value.Length;
    }
}
