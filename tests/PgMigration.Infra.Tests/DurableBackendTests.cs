using System.Text.Json.Nodes;

namespace PgMigration.Infra.Tests;

/// <summary>
/// Durable Functions runs on its Azure Storage backend, the one whose extension ships with the app: host.json
/// chooses it, the deployment creates nothing for another backend and no setting or parameter switches it.
/// </summary>
public class DurableBackendTests
{
    // What configuring the Durable Task Scheduler or overriding host.json's provider takes; the README says
    // how to add the scheduler back. (host.json's provider type itself is checked exactly, below.)
    private static readonly string[] SchedulerMarkers =
    [
        "DurableTaskScheduler", "Durable Task Scheduler", "DURABLE_TASK_SCHEDULER", "Microsoft.DurableTask/",
        "durableBackend", "DURABLE_BACKEND", "storageProvider__type",
    ];

    [Fact]
    public async Task Host_json_runs_durable_on_the_azure_storage_backend_over_AzureWebJobsStorage()
    {
        var hostJson = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "host.json"));
        var durableTask = JsonNode.Parse(hostJson)!["extensions"]!["durableTask"]!;

        Assert.Equal("AzureStorage", durableTask["storageProvider"]?["type"]?.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", AppSettingsTests.DurableStorageConnectionName(hostJson));
        Assert.Equal("%TASKHUB_NAME%", durableTask["hubName"]?.GetValue<string>());
    }

    [Fact]
    public async Task Host_json_logs_no_category_of_another_backend()
    {
        var hostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        var categories = hostJson["logging"]!["logLevel"]!.AsObject().Select(c => c.Key).ToList();

        // Durable's own categories are the framework's (DurableTask.Core) or the Azure Storage backend's.
        var otherBackends = categories
            .Where(c => c.StartsWith("DurableTask.", StringComparison.Ordinal))
            .Where(c => !c.StartsWith("DurableTask.Core", StringComparison.Ordinal) && !c.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal))
            .ToList();
        Assert.True(otherBackends.Count == 0, "host.json logs categories of another backend: " + string.Join(", ", otherBackends));
        Assert.Contains("Host.Triggers.DurableTask", categories);
    }

    [Fact]
    public async Task Deployment_creates_no_durable_task_scheduler_resource()
    {
        var deployment = await CompiledTemplates.DeployMainAsync();

        var scheduler = deployment.Resources.Where(r => r.Type.StartsWith("Microsoft.DurableTask/", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(scheduler.Count == 0, "The deployment creates: " + string.Join(", ", scheduler));
    }

    [Fact]
    public void No_configuration_file_mentions_another_backend_or_a_switch_between_backends()
    {
        var root = RepositoryPaths.Root;
        var files = Directory.EnumerateFiles(Path.Combine(root, "infra"), "*", SearchOption.AllDirectories)
            .Concat(new[] { "host.json", "local.settings.example.json", "azure.yaml" }.Select(name => Path.Combine(root, name)))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("main.bicep", StringComparison.Ordinal));

        var mentions = (
            from file in files
            from line in File.ReadLines(file).Select((text, index) => (Text: text, Number: index + 1))
            from marker in SchedulerMarkers
            where line.Text.Contains(marker, StringComparison.OrdinalIgnoreCase)
            select $"{Path.GetRelativePath(root, file)}:{line.Number}: {marker}").ToList();

        Assert.True(mentions.Count == 0, "Durable Task Scheduler or a backend switch is still configured:\n" + string.Join("\n", mentions));
    }
}
