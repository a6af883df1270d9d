using System.Text.Json.Serialization;

namespace PgMigration.Core.Copy;

/// <summary>
/// How a column's values enter the row hash that verifies the copy (see <see cref="RowHashSql"/>). Every kind
/// but <see cref="SourceText"/> names a type whose binary COPY form the copier can hash exactly as the server's
/// hash function for that type hashes the stored value, and for which equal hashes input means identical values.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnHashKind>))]
public enum ColumnHashKind
{
    /// <summary>Any other type: the source server hashes the value's text form in the COPY that reads it.</summary>
    SourceText,
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    /// <summary>text and varchar: their bytes.</summary>
    Text,
    /// <summary>character(n): its bytes without the trailing blanks, which the type does not count.</summary>
    Bpchar,
    Uuid,
    /// <summary>real and double precision: the server's hash of the value, which counts 0 and -0 alike, with the sign of a zero added.</summary>
    Float4,
    Float8,
    /// <summary>numeric: its text form, which keeps the scale the value was stored with.</summary>
    Numeric,
    /// <summary>date: its day number; the infinities by their text form.</summary>
    Date,
    /// <summary>inet and cidr: family, mask length and address, as the server hashes them.</summary>
    Inet,
    /// <summary>smallint[], integer[] and bigint[]: their text form, which shows bounds that do not start at 1.</summary>
    IntegerArray,
    Timestamp,
    TimestampTz,
    /// <summary>json: the text as stored, which is also its binary form.</summary>
    Json,
    /// <summary>jsonb: its text form, which its binary form carries after a version byte.</summary>
    Jsonb,
    /// <summary>bytea: its hex text form.</summary>
    Bytea,
}
