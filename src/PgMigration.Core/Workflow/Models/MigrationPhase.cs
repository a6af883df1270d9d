using System.Text.Json.Serialization;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// The phase a migration's workflow is in, as its custom status reports it. Written by its name (planning,
/// pre-data, ...) wherever it is serialized, so Durable's status, the HTTP API and the dashboard read words.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationPhase>))]
public enum MigrationPhase
{
    [JsonStringEnumMemberName("planning")]
    Planning,

    [JsonStringEnumMemberName("pre-data")]
    PreData,

    [JsonStringEnumMemberName("online-start")]
    OnlineStart,

    [JsonStringEnumMemberName("data")]
    Data,

    [JsonStringEnumMemberName("post-data")]
    PostData,

    [JsonStringEnumMemberName("follow")]
    Follow,

    [JsonStringEnumMemberName("cutover")]
    Cutover,

    [JsonStringEnumMemberName("finishing")]
    Finishing,

    [JsonStringEnumMemberName("verify")]
    Verify,

    [JsonStringEnumMemberName("completed")]
    Completed,
}

public static class MigrationPhaseNames
{
    /// <summary>The phase's name as the status writes it.</summary>
    public static string Name(this MigrationPhase phase) => phase switch
    {
        MigrationPhase.Planning => "planning",
        MigrationPhase.PreData => "pre-data",
        MigrationPhase.OnlineStart => "online-start",
        MigrationPhase.Data => "data",
        MigrationPhase.PostData => "post-data",
        MigrationPhase.Follow => "follow",
        MigrationPhase.Cutover => "cutover",
        MigrationPhase.Finishing => "finishing",
        MigrationPhase.Verify => "verify",
        _ => "completed",
    };
}
