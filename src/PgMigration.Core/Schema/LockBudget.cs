using Npgsql;

namespace PgMigration.Core.Schema;

/// <summary>
/// How many DDL steps one transaction may run on a target without filling its lock table, which holds
/// max_locks_per_transaction × (max_connections + max_prepared_transactions) locks for all sessions
/// together. A managed server's settings are not ours to raise, so the migration takes a quarter of
/// that table, and counts a step as <see cref="LocksPerStep"/> locks.
/// </summary>
internal static class LockBudget
{
    public const int LocksPerStep = 4;

    /// <summary>Beyond this a transaction gains nothing, and a retry redoes less.</summary>
    public const int MaxStepsPerTransaction = 1000;

    public static int StepsPerTransaction(int maxLocksPerTransaction, int maxConnections, int maxPreparedTransactions)
    {
        var lockTable = (long)maxLocksPerTransaction * (maxConnections + maxPreparedTransactions);
        return (int)Math.Clamp(lockTable / 4 / LocksPerStep, 1, MaxStepsPerTransaction);
    }

    public static async Task<int> StepsPerTransactionAsync(NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        await using var command = target.CreateCommand(
            "SELECT current_setting('max_locks_per_transaction')::int, current_setting('max_connections')::int, current_setting('max_prepared_transactions')::int");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return StepsPerTransaction(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }
}
