namespace PgMigration.Core.Connections;

/// <summary>
/// The configuration keys both hosts read. In app settings and environment variables ':' is written
/// '__' (Connections__source). infra/ provides every key in <see cref="RequiredByFunctionsHost"/>, and
/// its tests check that against this list.
/// </summary>
internal static class AppSettingNames
{
    /// <summary>Section whose children name connections: Connections:source, Connections:target, ...</summary>
    public const string ConnectionsSection = "Connections";

    /// <summary>Blob service endpoint for checkpoints, plans and DDL, e.g. https://acct.blob.core.windows.net.</summary>
    public const string CheckpointsBlobServiceUri = "Checkpoints:BlobServiceUri";

    /// <summary>Blob container for checkpoints; defaults to <see cref="DefaultCheckpointsContainer"/>.</summary>
    public const string CheckpointsContainer = "Checkpoints:Container";

    /// <summary>Local folder for checkpoints when no blob endpoint is configured (the CLI's default).</summary>
    public const string CheckpointsFolder = "Checkpoints:Folder";

    public const string DefaultCheckpointsContainer = "checkpoints";

    /// <summary>
    /// Optional: how often (a TimeSpan, default 00:00:05) a chunk's batch in flight writes its streamed
    /// rows to the checkpoint store, where status reads on any instance find them. Each is one blob write.
    /// </summary>
    public const string StreamedProgressInterval = "Progress:StreamedPublishInterval";

    /// <summary>Client id of the user-assigned managed identity that Azure.Identity signs in as.</summary>
    public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";

    /// <summary>Task hub name, referenced from host.json as %TASKHUB_NAME%.</summary>
    public const string TaskHubName = "TASKHUB_NAME";

    /// <summary>
    /// Settings the Functions host cannot start without, in app-setting form. The AzureWebJobsStorage__*
    /// settings are the identity-based connection the host and Durable's Azure Storage backend (host.json
    /// storageProvider connectionName) share; locally AzureWebJobsStorage=UseDevelopmentStorage=true
    /// (Azurite) stands in for them.
    /// </summary>
    public static IReadOnlyList<string> RequiredByFunctionsHost { get; } =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "Connections__source",
        "Connections__target",
        "Checkpoints__BlobServiceUri",
        "Checkpoints__Container",
        ManagedIdentityClientId,
        TaskHubName,
    ];
}
