using System.Diagnostics;
using System.Text.Json;

namespace PgMigration.Functions.Tests;

/// <summary>What `dotnet publish` of the Functions app gives the Functions host: the functions the README lists, as it lists them.</summary>
public class PublishedAppTests
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    public static TheoryData<string, string, string?, string?, string?> Functions => new()
    {
        { "StartMigration", "httpTrigger", "migrations", "post", "Anonymous" },
        { "ListMigrations", "httpTrigger", "migrations", "get", "Anonymous" },
        { "GetMigration", "httpTrigger", "migrations/{id}", "get", "Anonymous" },
        { "CancelMigration", "httpTrigger", "migrations/{id}/cancel", "post", "Anonymous" },
        { "CutoverMigration", "httpTrigger", "migrations/{id}/cutover", "post", "Anonymous" },
        { "BrowseSchemas", "httpTrigger", "connections/{name}/schemas", "get", "Anonymous" },
        { "Health", "httpTrigger", "health", "get", "Anonymous" },
        { "Dashboard", "httpTrigger", "dashboard/{*asset}", "get", "Anonymous" },
        { "MigrationWorkflow", "orchestrationTrigger", null, null, null },
        { "TableCopyWorkflow", "orchestrationTrigger", null, null, null },
        { "FollowWorkflow", "orchestrationTrigger", null, null, null },
        { "PlanMigration", "activityTrigger", null, null, null },
        { "ApplyPreData", "activityTrigger", null, null, null },
        { "CopyChunk", "activityTrigger", null, null, null },
        { "CopySmallTables", "activityTrigger", null, null, null },
        { "ApplyPostDataStep", "activityTrigger", null, null, null },
        { "AnalyzeTable", "activityTrigger", null, null, null },
        { "FinishMigration", "activityTrigger", null, null, null },
        { "VerifyTable", "activityTrigger", null, null, null },
        { "CopyLargeObjects", "activityTrigger", null, null, null },
        { "VerifyLargeObjects", "activityTrigger", null, null, null },
        { "StartOnline", "activityTrigger", null, null, null },
        { "FollowChanges", "activityTrigger", null, null, null },
        { "CutOver", "activityTrigger", null, null, null },
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task The_published_metadata_declares_each_function_with_its_trigger_route_method_and_auth_level(string name, string trigger, string? route, string? method, string? authLevel)
    {
        var metadata = await MetadataAsync();
        var function = metadata.EnumerateArray().SingleOrDefault(f => f.GetProperty("name").GetString() == name);
        Assert.True(function.ValueKind == JsonValueKind.Object, $"functions.metadata has no function {name}");
        var binding = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        Assert.Equal(trigger, binding.GetProperty("type").GetString());
        Assert.Equal(route, binding.TryGetProperty("route", out var r) ? r.GetString() : null);
        Assert.Equal(method, binding.TryGetProperty("methods", out var m) ? string.Join(",", m.EnumerateArray().Select(x => x.GetString())) : null);
        Assert.Equal(authLevel, binding.TryGetProperty("authLevel", out var a) ? a.GetString() : null);
        // The dashboard serves files; everything it shows comes from the other functions.
        if (trigger == "httpTrigger" && name != "Dashboard")
        {
            Assert.Contains(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient");
        }
    }

    [Fact]
    public async Task The_published_app_holds_no_other_function_loads_the_Durable_extension_and_starts_the_isolated_worker()
    {
        var folder = await Published.Value;
        var names = (await MetadataAsync()).EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order();
        Assert.Equal(Functions.Select(row => (string)row[0]).Order(), names);

        using var extensions = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "extensions.json")));
        var durable = extensions.RootElement.GetProperty("extensions").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "DurableTask");
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", durable.GetProperty("typeName").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, ".azurefunctions", "DurableTask.AzureStorage.dll")), "The Azure Storage backend host.json selects is not published with the extension.");

        using var worker = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.True(File.Exists(Path.Combine(folder, description.GetProperty("defaultWorkerPath").GetString()!)));

        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.Equal("AzureStorage", host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider").GetProperty("type").GetString());
    }

    private static async Task<JsonElement> MetadataAsync()
    {
        var folder = await Published.Value;
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "functions.metadata")));
        return metadata.RootElement.Clone();
    }

    // Published once per test run, as `func azure functionapp publish` and azd would publish it.
    private static async Task<string> PublishAsync()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), $"pgmigrate-functions-publish-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", "PgMigration.Functions"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet publish failed ({process.ExitCode}): {await stdout}{await stderr}");
        return output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgMigrationFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PgMigrationFunctions.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
