using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow;
using PgMigration.Core.Workflow.Models;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Workflow;

/// <summary>What the custom status says beside the copies: the index being built, ANALYZE, and verification by tables and bytes hashed.</summary>
public class WorkflowProgressTests
{
    private static readonly QualifiedName Accounts = new("public", "accounts");
    private static readonly QualifiedName Visits = new("public", "visits");

    [Fact]
    public async Task The_status_names_each_index_and_analyze_while_it_runs_and_counts_verified_tables_and_bytes_hashed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("runningsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("runningtgt");
        await source.ExecuteAsync("""
            CREATE TABLE public.accounts (id int PRIMARY KEY, email text NOT NULL);
            CREATE INDEX accounts_email ON public.accounts (email);
            CREATE TABLE public.visits (id bigint PRIMARY KEY, account int NOT NULL REFERENCES public.accounts);
            INSERT INTO public.accounts SELECT g, md5(g::text) FROM generate_series(1, 50000) g;
            INSERT INTO public.visits SELECT g, 1 + g % 50000 FROM generate_series(1, 100000) g;
            ANALYZE;
            """);
        var statuses = new List<WorkflowProgress>();

        await InProcessMigration.RunAsync(
            source, target, new MigrationInput { Id = "running", Source = "source", Target = "target", Mode = MigrationMode.All, Parallelism = 1 }, onStatus: statuses.Add);

        var running = statuses.Where(s => s.Phase == MigrationPhase.Data).SelectMany(s => s.Running).ToHashSet();
        Assert.Contains(new RunningWork(WorkKind.Index, Accounts, "public.accounts_email"), running);
        Assert.Contains(running, w => w is { Kind: WorkKind.Index, Table: { Schema: "public", Name: "visits" }, Name: { } name } && name.StartsWith("visits_pkey", StringComparison.Ordinal));
        Assert.Contains(running, w => w is { Kind: WorkKind.ForeignKey, Table: { Schema: "public", Name: "visits" }, Name: { } name } && name.StartsWith("visits_account_fkey", StringComparison.Ordinal));
        Assert.Contains(new RunningWork(WorkKind.Analyze, Accounts), running);
        Assert.Contains(new RunningWork(WorkKind.Analyze, Visits), running);
        Assert.Empty(statuses.Last(s => s.Phase == MigrationPhase.Data).Running);

        // Each table is verified as soon as it is keyed, while the data phase goes on: the verify phase finds them done.
        Assert.Contains(new RunningWork(WorkKind.Verify, Accounts), running);
        Assert.Contains(new RunningWork(WorkKind.Verify, Visits), running);
        var verify = statuses.Where(s => s.Phase == MigrationPhase.Verify).ToList();
        Assert.True(verify[0].BytesTotal > 0);
        Assert.Equal(verify.Select(s => s.BytesDone).Order(), verify.Select(s => s.BytesDone));
        Assert.Equal((2, verify[0].BytesTotal), (verify[^1].Done, verify[^1].BytesDone));
        Assert.Empty(verify[^1].Running);
    }

    // A name in mixed case, which SQL and the status write quoted: the server's report is matched to the status's step by the table, not by how either writes it.
    [Fact]
    public async Task Each_index_build_is_reported_from_pg_stat_progress_create_index_while_it_runs_naming_the_table_of_its_running_step()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("indexprogsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("indexprogtgt");
        await source.ExecuteAsync("""
            CREATE TABLE public."Events" (id bigint PRIMARY KEY, label text NOT NULL);
            CREATE INDEX events_label ON public."Events" (label);
            INSERT INTO public."Events" SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 600000) g;
            ANALYZE;
            """);
        var reports = new System.Collections.Concurrent.ConcurrentQueue<IndexBuildProgress>();
        var statuses = new List<WorkflowProgress>();

        await InProcessMigration.RunAsync(
            source,
            target,
            new MigrationInput { Id = "indexprogress", Source = "source", Target = "target", Mode = MigrationMode.All, Parallelism = 1 },
            onStatus: statuses.Add,
            onIndexProgress: reports.Enqueue);

        Assert.NotEmpty(reports);
        var events = new QualifiedName("public", "Events");
        Assert.All(reports, r => Assert.Equal(events, r.Table));
        Assert.Equal([events], statuses.SelectMany(s => s.Running).Where(w => w.Kind == WorkKind.Index).Select(w => w.Table).Distinct());
        var scans = reports.Where(r => r.Phase == "building index: scanning table").Select(r => r.Fraction).Distinct().ToList();
        Assert.True(scans.Count >= 2, $"The builds were seen as: {string.Join(", ", reports.Select(r => $"{r.Phase} {r.Fraction:P0}"))}");
        Assert.All(reports, r => Assert.InRange(r.Fraction ?? 0, 0, 1));
    }
}
