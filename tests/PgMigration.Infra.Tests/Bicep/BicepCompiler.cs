using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace PgMigration.Infra.Tests.Bicep;

/// <summary>Runs the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64).</summary>
public static class BicepCompiler
{
    public static string ExecutablePath { get; } = FindExecutable();

    /// <summary>`bicep build --stdout`: the ARM JSON template, or an exception with every error.</summary>
    public static async Task<JsonObject> BuildAsync(string bicepFile, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["build", bicepFile, "--stdout"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build {bicepFile} failed with exit code {result.ExitCode}:\n{result.StandardError}");
        }

        return JsonNode.Parse(result.StandardOutput)?.AsObject()
            ?? throw new InvalidOperationException($"bicep build {bicepFile} printed no template.");
    }

    /// <summary>`bicep lint` with SARIF output: every diagnostic of the file and the modules it uses.</summary>
    public static async Task<IReadOnlyList<BicepDiagnostic>> LintAsync(string bicepFile, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["lint", bicepFile, "--diagnostics-format", "sarif"], cancellationToken);
        var sarif = JsonNode.Parse(result.StandardOutput)
            ?? throw new InvalidOperationException($"bicep lint {bicepFile} printed no SARIF (exit code {result.ExitCode}):\n{result.StandardError}");
        var diagnostics = new List<BicepDiagnostic>();
        foreach (var run in sarif["runs"]!.AsArray())
        {
            foreach (var item in run!["results"]?.AsArray() ?? [])
            {
                var location = item!["locations"]?[0]?["physicalLocation"];
                diagnostics.Add(new BicepDiagnostic(
                    File: location?["artifactLocation"]?["uri"]?.GetValue<string>() ?? bicepFile,
                    Line: location?["region"]?["startLine"]?.GetValue<int>() ?? 0,
                    Level: item["level"]?.GetValue<string>() ?? "warning",
                    Code: item["ruleId"]?.GetValue<string>() ?? "",
                    Message: item["message"]?["text"]?.GetValue<string>() ?? ""));
            }
        }

        if (result.ExitCode != 0 && diagnostics.All(d => d.Level != "error"))
        {
            throw new InvalidOperationException($"bicep lint {bicepFile} failed with exit code {result.ExitCode} without reporting an error:\n{result.StandardError}");
        }

        return diagnostics;
    }

    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(
        IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry calls and no registry look-ups from the tests: everything is local.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ExecutablePath}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private static string FindExecutable()
    {
        var path = typeof(BicepCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package is missing (looked for '{path}'). Run `dotnet restore` on tests/PgMigration.Infra.Tests.");
        }

        return path;
    }
}
