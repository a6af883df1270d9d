using System.Text.Json.Serialization;

namespace PgMigration.Core.Api;

/// <summary>Where one table's copy stands. Written in lower case in the status JSON, as the dashboard reads it.</summary>
public enum TableCopyState
{
    /// <summary>No batch of it has committed yet.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("copying")]
    Copying,

    /// <summary>Every chunk is done.</summary>
    [JsonStringEnumMemberName("copied")]
    Copied,
}
