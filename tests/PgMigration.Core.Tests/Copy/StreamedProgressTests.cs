using System.Collections.Concurrent;
using PgMigration.Core.Copy;
using PgMigration.Core.Tests.Workflow;
using PgMigration.Core.Workflow;
using PgMigration.Testing;

namespace PgMigration.Core.Tests.Copy;

public class StreamedProgressTests
{
    [Fact]
    public async Task A_table_copied_in_one_batch_reports_rows_while_it_streams_and_its_reports_add_up_to_what_landed()
    {
        await using var source = await PostgresServer.CreateDatabaseAsync("streamsrc");
        await using var target = await PostgresServer.CreateDatabaseAsync("streamtgt");
        await source.ExecuteAsync("CREATE TABLE public.events (id bigint PRIMARY KEY, payload text); INSERT INTO public.events SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 600000) g; ANALYZE;");
        var reports = new ConcurrentQueue<ChunkProgress>();

        await InProcessMigration.RunAsync(
            source, target, new MigrationInput { Id = "stream", Source = "source", Target = "target", Mode = MigrationMode.All }, reports.Enqueue);

        var events = reports.Where(r => r.Chunk.TableDisplayName == "public.events").ToList();
        var streamed = events.TakeWhile(r => !r.ChunkDone).Where(r => r.Uncommitted && r.Rows > 0).ToList();
        Assert.True(streamed.Count >= 1, $"No rows were reported before the batch committed: {string.Join(", ", events)}");
        Assert.Single(events, r => r.ChunkDone);
        Assert.Equal(600_000, events.Sum(r => r.Rows));
        Assert.Equal(600_000, await target.ScalarAsync<long>("SELECT count(*) FROM public.events"));
    }
}
