using Microsoft.Extensions.Logging;
using PgMigration.Core.Workflow.Local;

namespace PgMigration.Cli.Hosting;

public sealed record LocalApiServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Checkpoint folder or blob container URL; null reads Checkpoints:* from configuration.</summary>
    public string? Checkpoints { get; init; }

    /// <summary>Shared-key connection string for a blob checkpoint container (Azurite); null signs in with Azure.Identity or reads AZURE_STORAGE_CONNECTION_STRING.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Settings added over environment variables and appsettings.json, e.g. Connections:source.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra log sinks (the tests capture every line to search it for secrets).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Records every workflow's inputs and decisions (tests search them for secrets).</summary>
    public WorkflowRecorder? Recorder { get; init; }
}
