using Npgsql;

namespace PgMigration.Testing.Online;

/// <summary>
/// A pgbench-like load on <see cref="OnlineSource"/>'s tables, on a few connections, until stopped: inserts,
/// updates (balances of accounts with TOASTed notes, which leave the note unchanged), key updates that cascade,
/// deletes, upserts, truncates of a small table, and sequence calls, some of them several per transaction.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> workers = [];
    private long committed;
    private long nextKey = 1_000_000;

    private WriteLoad(string connectionString, int connections)
    {
        for (var worker = 0; worker < connections; worker++)
        {
            var seed = worker;
            workers.Add(Task.Run(() => RunAsync(connectionString, seed)));
        }
    }

    /// <summary>Transactions the load committed so far.</summary>
    public long Committed => Interlocked.Read(ref committed);

    public static WriteLoad Start(string connectionString, int connections = 3) => new(connectionString, connections);

    /// <summary>Stops the load and waits until its last transaction has ended.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    private async Task RunAsync(string connectionString, int seed)
    {
        var random = new Random(seed);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var statements = random.Next(10) == 0 ? 5 : 1;
                for (var i = 0; i < statements; i++)
                {
                    await using var command = new NpgsqlCommand(Next(random), connection, transaction);
                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
                Interlocked.Increment(ref committed);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation)
            {
                // Two workers raced for the same rows; the transaction rolled back, the load goes on.
            }
        }
    }

    private string Next(Random random)
    {
        var account = 1 + random.Next(20000);
        return random.Next(100) switch
        {
            < 30 => $"INSERT INTO transfers (account, amount) SELECT id, {random.Next(1000)} FROM accounts WHERE id >= {account} ORDER BY id LIMIT 1",
            < 50 => $"UPDATE accounts SET balance = balance + 1, updated = now() WHERE id = (SELECT id FROM accounts WHERE id >= {account / 50 * 50} AND id % 50 = 0 ORDER BY id LIMIT 1)",
            < 60 => $"UPDATE accounts SET note = 'rewritten ' || md5(random()::text) WHERE id = {account}",
            < 70 => $"UPDATE transfers SET amount = amount * 2 WHERE id = {1 + random.Next(200000)}",
            < 80 => $"DELETE FROM transfers WHERE id = {1 + random.Next(200000)}",
            < 85 => $"UPDATE accounts SET id = {Interlocked.Increment(ref nextKey)} WHERE id = (SELECT id FROM accounts WHERE id >= {account} AND id < 1000000 ORDER BY id LIMIT 1)",
            < 88 => $"DELETE FROM accounts WHERE id = (SELECT id FROM accounts WHERE id >= {account} AND id < 1000000 ORDER BY id LIMIT 1)",
            < 96 => $"INSERT INTO tags VALUES ('tag{random.Next(150)}', 1) ON CONFLICT (name) DO UPDATE SET hits = tags.hits + 1",
            < 99 => "SELECT nextval('tickets')",
            _ => $"INSERT INTO accounts VALUES ({Interlocked.Increment(ref nextKey)}, 0, 'new', now())",
        };
    }
}
