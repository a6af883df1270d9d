using System.Data;
using Npgsql;

namespace PgMigration.Core.Copy;

/// <summary>
/// Makes one copier the owner of a chunk across processes and hosts: a session-level advisory lock on the
/// target, keyed by the plan and the chunk, held by the connection the chunk's batches run on. A second
/// copier of the same chunk (a duplicated activity, a second run on the same checkpoints) waits here, then
/// reads the chunk's progress from the target's ledger instead of copying it again. The server releases
/// the lock when the connection ends, however its owner died.
/// </summary>
internal sealed class ChunkOwner(NpgsqlDataSource target, string entry) : IAsyncDisposable
{
    private NpgsqlConnection? connection;

    /// <summary>An open target connection that holds the chunk's lock; waits while another copier holds it.</summary>
    public async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (connection is { State: ConnectionState.Open })
        {
            return connection;
        }

        await ReleaseAsync();
        var opened = await target.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", opened);
            command.Parameters.AddWithValue(LockName);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }

        return connection = opened;
    }

    /// <summary>Gives the lock up (after a failed attempt the next one takes it again, on a fresh connection).</summary>
    public async Task ReleaseAsync()
    {
        if (connection is null)
        {
            return;
        }

        var owned = connection;
        connection = null;
        try
        {
            if (owned.State == ConnectionState.Open)
            {
                // The pool resets a returned connection only when it is next used: unlock now, not then.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", owned);
                command.Parameters.AddWithValue(LockName);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection: its backend is gone and the server released the lock with it.
        }
        finally
        {
            await owned.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(ReleaseAsync());

    private string LockName => $"pgmigrate/{entry}";
}
