using Npgsql;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using PgMigration.Core.Catalog;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Online;

/// <summary>
/// Applies decoded source changes to the target, many source transactions per target transaction, each
/// target transaction also recording the end LSN of the last source commit in it (<see cref="AppliedPosition"/>).
/// Values travel as text of unknown type, so the target reads each as its column's type. Runs with
/// session_replication_role = replica: the source already fired its triggers and checked its foreign keys.
/// </summary>
internal sealed class ChangeApplier(NpgsqlDataSource target, OnlineStart start, AppliedPosition applied) : IAsyncDisposable
{
    private const int CommandsPerRoundTrip = 200;

    private readonly Dictionary<(string Schema, string Name), OnlineTable> followed = start.Tables.ToDictionary(t => (t.Schema, t.Name));
    private readonly Dictionary<uint, RelationTarget> relations = [];
    private readonly List<(NpgsqlBatchCommand Command, string What)> mustTouchARow = [];
    private NpgsqlConnection? connection;
    private NpgsqlTransaction? transaction;
    private NpgsqlBatch? batch;

    /// <summary>Changes committed on the target, in every run.</summary>
    public long AppliedChanges { get; private set; } = applied.Changes;

    /// <summary>End LSN of the last source commit committed on the target.</summary>
    public NpgsqlLogSequenceNumber? AppliedEndLsn { get; private set; } = applied.EndLsn;

    public DateTime AppliedCommitTime { get; private set; }

    /// <summary>Changes of complete source transactions applied in the open target transaction.</summary>
    public long PendingChanges { get; private set; }

    public bool HasPending => PendingEnd is not null;

    public DateTime PendingSince { get; private set; }

    private long changesInTransaction;

    private NpgsqlLogSequenceNumber? PendingEnd { get; set; }

    private DateTime pendingCommitTime;

    /// <summary>True when a source transaction ending at <paramref name="finalLsn"/> was applied in an earlier target transaction.</summary>
    public bool AlreadyApplied(NpgsqlLogSequenceNumber finalLsn) => AppliedEndLsn is { } end && finalLsn < end;

    public void Relation(RelationMessage message)
    {
        var name = (message.Namespace, message.RelationName);
        if (!followed.TryGetValue(name, out var table))
        {
            throw new SourceSchemaChangedException(
                $"The source sent changes of {message.Namespace}.{message.RelationName}, which this migration does not follow (renamed, or added to its publication by hand). Cancel the migration and start it again.");
        }

        var columns = message.Columns.Select(c => c.ColumnName).ToList();
        var types = message.Columns.Select(c => c.DataTypeId).ToList();
        if (!columns.SequenceEqual(table.Columns) || !types.SequenceEqual(table.ColumnTypes))
        {
            throw new SourceSchemaChangedException(
                $"Table {table.DisplayName} changed on the source while the migration followed it: its columns are now ({string.Join(", ", columns)}), " +
                $"they were ({string.Join(", ", table.Columns)}) with other types or order. Changes after a column change cannot be applied as they are. " +
                "Cancel the migration and start it again once the source's schema is settled.");
        }

        relations[message.RelationId] = new RelationTarget(table, SqlText.Qualified(table.Schema, table.Name), [.. columns.Select(SqlText.Identifier)], [.. table.KeyColumns.Select(k => columns.IndexOf(k))]);
    }

    public async Task InsertAsync(InsertMessage message, CancellationToken cancellationToken)
    {
        var relation = RelationOf(message.Relation);
        var values = await ReadAsync(message.NewRow, cancellationToken);
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {relation.Sql} ({string.Join(", ", relation.Columns)}) OVERRIDING SYSTEM VALUE VALUES ({string.Join(", ", values.Select((_, i) => $"${i + 1}"))})");
        foreach (var value in values)
        {
            command.Parameters.Add(Text(value.Text));
        }

        await AddAsync(command, null, cancellationToken);
    }

    public async Task UpdateAsync(UpdateMessage message, CancellationToken cancellationToken)
    {
        var relation = RelationOf(message.Relation);
        // The old key (or row), when sent, comes before the new row in the stream, and each can be read once.
        var oldKey = message switch
        {
            IndexUpdateMessage index => await ReadAsync(index.Key, cancellationToken),
            FullUpdateMessage full => await ReadAsync(full.OldRow, cancellationToken),
            _ => null,
        };
        var newRow = await ReadAsync(message.NewRow, cancellationToken);
        oldKey ??= newRow;

        // A TOASTed value the update left alone is not sent: only the columns sent are written.
        var set = Enumerable.Range(0, newRow.Count).Where(i => newRow[i].Kind != TupleDataKind.UnchangedToastedValue).ToList();
        var command = new NpgsqlBatchCommand();
        var assignments = set.Select((column, n) => $"{relation.Columns[column]} = ${n + 1}");
        command.CommandText = $"UPDATE {relation.Sql} SET {string.Join(", ", assignments)} WHERE {KeyCondition(relation, set.Count)}";
        foreach (var column in set)
        {
            command.Parameters.Add(Text(newRow[column].Text));
        }

        foreach (var key in relation.KeyPositions)
        {
            command.Parameters.Add(Text(oldKey[key].Text));
        }

        await AddAsync(command, $"update of a row of {relation.Table.DisplayName}", cancellationToken);
    }

    public async Task DeleteAsync(DeleteMessage message, CancellationToken cancellationToken)
    {
        var relation = RelationOf(message.Relation);
        var key = message switch
        {
            KeyDeleteMessage keyed => await ReadAsync(keyed.Key, cancellationToken),
            FullDeleteMessage full => await ReadAsync(full.OldRow, cancellationToken),
            _ => throw new InvalidOperationException($"A delete on {relation.Table.DisplayName} came without its key."),
        };
        var command = new NpgsqlBatchCommand($"DELETE FROM {relation.Sql} WHERE {KeyCondition(relation, 0)}");
        foreach (var position in relation.KeyPositions)
        {
            command.Parameters.Add(Text(key[position].Text));
        }

        await AddAsync(command, $"delete of a row of {relation.Table.DisplayName}", cancellationToken);
    }

    public async Task TruncateAsync(TruncateMessage message, CancellationToken cancellationToken)
    {
        var tables = message.Relations.Select(r => RelationOf(r).Sql).ToList();
        var options = (message.Options.HasFlag(TruncateMessage.TruncateOptions.RestartIdentity) ? " RESTART IDENTITY" : string.Empty)
            + (message.Options.HasFlag(TruncateMessage.TruncateOptions.Cascade) ? " CASCADE" : string.Empty);
        await AddAsync(new NpgsqlBatchCommand($"TRUNCATE {string.Join(", ", tables)}{options}"), null, cancellationToken);
    }

    /// <summary>The source transaction is complete: its changes go to the target with the next <see cref="CommitAsync"/>.</summary>
    public void SourceCommitted(NpgsqlLogSequenceNumber endLsn, DateTime committedAt)
    {
        if (changesInTransaction == 0 && transaction is null)
        {
            // Nothing of it is followed (pgoutput sends empty transactions before PostgreSQL 15): nothing to record.
            return;
        }

        if (PendingEnd is null)
        {
            PendingSince = DateTime.UtcNow;
        }

        PendingEnd = endLsn;
        pendingCommitTime = committedAt;
        PendingChanges += changesInTransaction;
        changesInTransaction = 0;
    }

    /// <summary>Commits every complete source transaction applied so far, with its position.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (PendingEnd is not { } end || transaction is null)
        {
            return;
        }

        batch!.BatchCommands.Add(AppliedPosition.Record(start.SlotName, end, AppliedChanges + PendingChanges, pendingCommitTime));
        await FlushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        transaction = null;
        AppliedChanges += PendingChanges;
        AppliedEndLsn = end;
        AppliedCommitTime = pendingCommitTime;
        PendingChanges = 0;
        PendingEnd = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        if (batch is not null)
        {
            await batch.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private RelationTarget RelationOf(RelationMessage message) =>
        relations.TryGetValue(message.RelationId, out var relation)
            ? relation
            : throw new InvalidOperationException($"A change of {message.Namespace}.{message.RelationName} came before its relation message.");

    private static string KeyCondition(RelationTarget relation, int parametersBefore) =>
        string.Join(" AND ", relation.KeyPositions.Select((position, n) => $"{relation.Columns[position]} = ${parametersBefore + n + 1}"));

    private async Task AddAsync(NpgsqlBatchCommand command, string? mustTouchARowWhat, CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            connection ??= await target.OpenConnectionAsync(cancellationToken);
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            batch ??= new NpgsqlBatch(connection);
            batch.Transaction = transaction;

            // The source fired its triggers and checked its keys already; they must not act twice.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL session_replication_role = replica"));
        }

        batch!.BatchCommands.Add(command);
        if (mustTouchARowWhat is not null)
        {
            mustTouchARow.Add((command, mustTouchARowWhat));
        }

        changesInTransaction++;
        if (batch.BatchCommands.Count >= CommandsPerRoundTrip)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (batch is null || batch.BatchCommands.Count == 0)
        {
            return;
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var missed = mustTouchARow.FirstOrDefault(c => c.Command.RecordsAffected == 0);
        mustTouchARow.Clear();
        batch.BatchCommands.Clear();
        if (missed.Command is not null)
        {
            throw new TargetDivergedException(
                $"An {missed.What} found no such row on the target: the target was changed by something else while the migration followed the source. " +
                "Cancel the migration and start it again into a target nothing else writes to.");
        }
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Unknown, Value = value ?? (object)DBNull.Value };

    private static async Task<List<TupleValue>> ReadAsync(ReplicationTuple tuple, CancellationToken cancellationToken)
    {
        var values = new List<TupleValue>(tuple.NumColumns);
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            values.Add(value.Kind == TupleDataKind.TextValue
                ? new TupleValue(value.Kind, await value.Get<string>(cancellationToken))
                : new TupleValue(value.Kind, null));
        }

        return values;
    }

    private sealed record TupleValue(TupleDataKind Kind, string? Text);

    private sealed record RelationTarget(OnlineTable Table, string Sql, IReadOnlyList<string> Columns, IReadOnlyList<int> KeyPositions);
}
