using System.Net;
using Npgsql;
using PgMigration.Cli.Tests.Http;
using PgMigration.Core.Workflow.Local;
using PgMigration.Testing;

namespace PgMigration.Cli.Tests;

/// <summary>The connection password must never reach a status, a log line, a checkpoint or a workflow input.</summary>
public class SecretLeakTests
{
    [Fact]
    public async Task The_password_appears_in_no_status_log_line_checkpoint_or_workflow_input()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("leaksrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("leaktgt");
        await using var broken = await PostgresServer.CreateDatabaseAsync("leakbad");
        var password = new NpgsqlConnectionStringBuilder(source.ConnectionString).Password!;
        Assert.False(string.IsNullOrEmpty(password), "The test server must sign in with a password for this test to mean anything.");
        await MigrationFixture.FillAsync(source, orders: 5_000);
        await target.ExecuteAsync(MigrationFixture.Schema);
        var recorder = new WorkflowRecorder();
        await using var api = await ApiServer.StartAsync(
            new Dictionary<string, string>
            {
                ["source"] = source.ConnectionString,
                ["target"] = target.ConnectionString,
                ["broken"] = broken.ConnectionString,
                ["wrongpassword"] = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Password = password + "-wrong" }.ConnectionString,
            },
            recorder: recorder);
        var bodies = new List<string>();

        // A migration that completes, one that fails (the target has no tables) and one that cannot sign in.
        foreach (var (id, to) in new[] { ("leak-ok", "target"), ("leak-failing", "broken"), ("leak-auth", "wrongpassword") })
        {
            using var start = await api.PostJsonAsync("/api/migrations", $$"""{"source":"source","target":"{{to}}","mode":"data","id":"{{id}}","batchSize":500}""");
            bodies.Add(await start.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            bodies.AddRange((await MigrationFixture.PollUntilDoneAsync(api, $"/api/migrations/{id}")).Select(s => s.ToString()));
        }

        Assert.Contains("\"Completed\"", bodies.First(b => b.Contains("leak-ok", StringComparison.Ordinal) && b.Contains("runtimeStatus", StringComparison.Ordinal) && b.Contains("Completed", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(bodies, b => b.Contains("leak-failing", StringComparison.Ordinal) && b.Contains("\"Failed\"", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("leak-auth", StringComparison.Ordinal) && b.Contains("28P01", StringComparison.Ordinal));

        // Requests that carry the password are refused without echoing it.
        foreach (var body in new[]
        {
            $$"""{"source":"source","target":"target","password":"{{password}}"}""",
            $$"""{"source":"Host=127.0.0.1;Password={{password}}","target":"target"}""",
            $$"""{"source":"postgresql://postgres:{{password}}@127.0.0.1/x","target":"target"}""",
        })
        {
            using var refused = await api.PostJsonAsync("/api/migrations", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            bodies.Add(await refused.Content.ReadAsStringAsync());
        }

        using (var health = await api.Client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            bodies.Add(await health.Content.ReadAsStringAsync());
        }

        bodies.Add((await api.GetJsonAsync("/api/connections/source/schemas")).ToString());

        var files = Directory.EnumerateFiles(api.Checkpoints, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var workflowInputs = recorder.Histories.Values.SelectMany(h => h.Events.Select(e => e.Json ?? string.Empty).Prepend(h.InputJson)).ToList();
        Assert.NotEmpty(workflowInputs);
        Assert.NotEmpty(api.Logs.Lines);

        AssertNoSecret(password, "HTTP response", bodies);
        AssertNoSecret(password, "log line", api.Logs.Lines);
        AssertNoSecret(password, "checkpoint file", files.Select(f => $"{f}: {File.ReadAllText(f)}"));
        AssertNoSecret(password, "workflow input or history event", workflowInputs);
    }

    private static void AssertNoSecret(string password, string what, IEnumerable<string> texts)
    {
        var leaks = texts.Where(t => t.Contains(password, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, $"The password leaked into {leaks.Count} {what}(s), e.g.: {leaks.FirstOrDefault()?.Replace(password, "<PASSWORD>", StringComparison.Ordinal)}");
    }
}
