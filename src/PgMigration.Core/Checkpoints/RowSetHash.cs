using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgMigration.Core.Checkpoints;

/// <summary>
/// An order-independent hash of a set of rows: the sum of a 64-bit hash of each row (see Copy.RowHashSql),
/// kept modulo 2^128, which no table's sum reaches. Sums of parts add up to the sum of the whole, so chunks
/// and batches combine in any order; a changed value changes one term, and a missing or duplicated row
/// removes or adds one.
/// </summary>
[JsonConverter(typeof(RowSetHashJsonConverter))]
public readonly record struct RowSetHash(UInt128 Sum)
{
    public static RowSetHash Empty => default;

    public static RowSetHash operator +(RowSetHash left, RowSetHash right) => new(left.Sum + right.Sum);

    /// <summary>The sum the server computes (sum() of bigint row hashes, as decimal text), in the same modulus.</summary>
    public static RowSetHash FromSignedSum(string decimalText) =>
        new((UInt128)(Int128)BigInteger.Parse(decimalText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

    public static RowSetHash Parse(string text) => new(UInt128.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    /// <summary>32 hex digits.</summary>
    public override string ToString() => Sum.ToString("x32", CultureInfo.InvariantCulture);
}

/// <summary>Stores a <see cref="RowSetHash"/> as its hex text: JSON numbers lose 128-bit precision in most readers.</summary>
internal sealed class RowSetHashJsonConverter : JsonConverter<RowSetHash>
{
    public override RowSetHash Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RowSetHash.Parse(reader.GetString() ?? throw new JsonException("A row hash must be a string of hex digits."));

    public override void Write(Utf8JsonWriter writer, RowSetHash value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
