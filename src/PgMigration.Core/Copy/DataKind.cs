using System.Text.Json.Serialization;

namespace PgMigration.Core.Copy;

/// <summary>
/// What a line of copy progress or of verification counts: the rows of one table, or the database's large
/// objects (an object a row, in <see cref="LargeObjectPlan.Table"/>). Written by its name wherever it is serialized.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataKind>))]
public enum DataKind
{
    [JsonStringEnumMemberName("table")]
    Table,

    [JsonStringEnumMemberName("largeObjects")]
    LargeObjects,
}
