using System.Buffers.Binary;

namespace PgMigration.Core.Copy;

/// <summary>
/// Writes a numeric's binary COPY form as the server's numeric_out writes the value: what the target hashes
/// when it verifies a numeric column, so the copier can hash the same bytes without asking the source.
/// </summary>
internal static class NumericText
{
    private const int DecimalDigits = 4;

    private const ushort Negative = 0x4000;
    private const ushort NaN = 0xC000;
    private const ushort PositiveInfinity = 0xD000;
    private const ushort NegativeInfinity = 0xF000;

    /// <summary>The longest text for a value of <paramref name="binaryLength"/> bytes: a sign, a point, and four decimals per base-10000 digit and per unit of scale.</summary>
    public static int MaxLength(ReadOnlySpan<byte> binary)
    {
        var weight = Math.Abs((int)BinaryPrimitives.ReadInt16BigEndian(binary[2..]));
        var scale = BinaryPrimitives.ReadUInt16BigEndian(binary[6..]);
        return 16 + (DecimalDigits * (weight + 1)) + scale + DecimalDigits;
    }

    /// <summary>Writes the text into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> binary, Span<byte> text)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(binary);
        var weight = BinaryPrimitives.ReadInt16BigEndian(binary[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(binary[4..]);
        var scale = BinaryPrimitives.ReadUInt16BigEndian(binary[6..]);
        switch (sign)
        {
            case NaN:
                return Copy("NaN"u8, text);
            case PositiveInfinity:
                return Copy("Infinity"u8, text);
            case NegativeInfinity:
                return Copy("-Infinity"u8, text);
        }

        var length = 0;
        if (sign == Negative)
        {
            text[length++] = (byte)'-';
        }

        int d;
        if (weight < 0)
        {
            d = weight + 1;
            text[length++] = (byte)'0';
        }
        else
        {
            for (d = 0; d <= weight; d++)
            {
                var digit = Digit(binary, count, d);
                // The first base-10000 digit without its leading zeros, the rest in full.
                for (var divisor = 1000; divisor > 0; divisor /= 10)
                {
                    var decimalDigit = digit / divisor;
                    digit %= divisor;
                    if (d > 0 || decimalDigit > 0 || divisor == 1 || length > (sign == Negative ? 1 : 0))
                    {
                        text[length++] = (byte)('0' + decimalDigit);
                    }
                }
            }
        }

        if (scale > 0)
        {
            text[length++] = (byte)'.';
            var end = length + scale;
            for (var written = 0; written < scale; d++, written += DecimalDigits)
            {
                var digit = Digit(binary, count, d);
                for (var divisor = 1000; divisor > 0 && length < end; divisor /= 10)
                {
                    text[length++] = (byte)('0' + (digit / divisor));
                    digit %= divisor;
                }
            }
        }

        return length;
    }

    private static int Digit(ReadOnlySpan<byte> binary, int count, int index) =>
        index >= 0 && index < count ? BinaryPrimitives.ReadInt16BigEndian(binary[(8 + (2 * index))..]) : 0;

    private static int Copy(ReadOnlySpan<byte> literal, Span<byte> text)
    {
        literal.CopyTo(text);
        return literal.Length;
    }
}
