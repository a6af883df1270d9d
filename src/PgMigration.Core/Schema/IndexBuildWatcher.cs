using Npgsql;
using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// Reads pg_stat_progress_create_index for a table's index builds on a connection of its own, every
/// interval, until cancelled. Only a display depends on it: a server without the view (before 12) or a
/// failed read ends the watch quietly.
/// </summary>
internal static class IndexBuildWatcher
{
    private const string Query = """
        SELECT nullif(p.index_relid, 0)::regclass::text, p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total
          FROM pg_stat_progress_create_index p
         WHERE p.relid = to_regclass($1) AND p.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    public static async Task WatchAsync(NpgsqlDataSource target, QualifiedName table, TimeSpan interval, Action<IndexBuildProgress> report, CancellationToken cancellationToken)
    {
        try
        {
            // The connection only once the build has lasted an interval: most builds (every index of a small
            // table) are over before, and a connection each was two pool checkouts a table at thousands of tables.
            // Nor an exception for them: a build over in time ends the wait quietly.
            await Task.Delay(interval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await using var connection = await target.OpenConnectionAsync(cancellationToken);
            while (true)
            {
                await using (var command = new NpgsqlCommand(Query, connection) { Parameters = { new() { Value = table.Sql } } })
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        report(new IndexBuildProgress(table, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
                    }
                }

                await Task.Delay(interval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The build is over.
        }
        catch (NpgsqlException)
        {
            // No such view on this server, or the connection failed: nothing to show.
        }
    }
}
