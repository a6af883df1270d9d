namespace PgMigration.Functions.Tests.Hosting;

/// <summary>The Durable Task engine's storage behind the app's functions in a test.</summary>
public enum DurableBackend
{
    /// <summary>DurableTask.Core's in-memory orchestration service (Microsoft.DurableTask.InProcessTestHost).</summary>
    InMemory,

    /// <summary>DurableTask.AzureStorage over Azurite: the backend the app uses in Azure, which persists across workers.</summary>
    AzureStorage,
}
