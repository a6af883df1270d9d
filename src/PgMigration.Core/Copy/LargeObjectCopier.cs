using System.Data;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using PgMigration.Core.Catalog;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Schema;

namespace PgMigration.Core.Copy;

/// <summary>
/// Copies one <see cref="LargeObjectSet"/> exactly once, as <see cref="TableCopier"/> copies a keyed chunk:
/// batches of whole objects in oid order, each one target transaction that creates them with their source
/// oids, writes their content piece by piece (lo_get on the source, lo_put on the target), gives them their
/// comments (and owners and grants when the plan says so) and records the set's progress in the target's
/// <see cref="CopyLedger"/>; then a checkpoint. A batch that dies rolls back whole, so no object is left half
/// written, and whatever the target holds of the set past the recorded progress is removed before the next
/// batch writes it again.
/// </summary>
internal sealed class LargeObjectCopier(NpgsqlDataSource source, NpgsqlDataSource target, ICheckpointStore checkpoints, LargeObjectCopierOptions options)
{
    public async Task<ChunkCheckpoint> CopySetAsync(LargeObjectPlan plan, LargeObjectSet set, CancellationToken cancellationToken = default)
    {
        var chunk = plan.ChunkOf(set);
        var checkpoint = await checkpoints.ReadChunkAsync(set.Id, cancellationToken);
        if (checkpoint is { Done: true })
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: true) { Resumed = true });
            return checkpoint;
        }

        options.OnProgress?.Invoke(new ChunkProgress(chunk, 0, 0, ChunkDone: false));
        await options.Retry.ExecuteAsync(ct => new ValueTask(CopyLedger.EnsureAsync(target, ct)), cancellationToken);
        if (checkpoint is null)
        {
            checkpoint = new ChunkCheckpoint { ChunkId = set.Id, Table = LargeObjectPlan.Table, Sequence = 0, LastKey = chunk.LowerKey };
            await checkpoints.WriteChunkAsync(checkpoint, cancellationToken);
        }
        else
        {
            options.OnProgress?.Invoke(new ChunkProgress(chunk, checkpoint.Rows, checkpoint.Bytes, ChunkDone: false) { Resumed = true });
        }

        var entry = $"{options.PlanId}/{set.Id}";
        await using var owner = new ChunkOwner(target, entry);
        // In this process only: objects stream in pieces of a megabyte, and a set is seldom big enough to outlast a status poll.
        var inFlight = new InFlightProgress(chunk, options.OnProgress, publisher: null);
        while (!checkpoint.Done)
        {
            var believed = checkpoint;
            var sql = string.Empty;
            (ChunkCheckpoint Progress, CopiedVolume Added) outcome;
            try
            {
                outcome = await options.Retry.ExecuteAsync(
                    async ct =>
                    {
                        try
                        {
                            var targetConnection = await owner.ConnectAsync(ct);
                            await using var targetTransaction = await targetConnection.BeginTransactionAsync(ct);
                            await ExecuteAsync(targetConnection, ChunkSql.SessionSettings, ct);
                            sql = $"SELECT FROM {CopyLedger.ProgressTable}";
                            var recorded = await CopyLedger.FindProgressAsync(targetConnection, entry, believed, ct);
                            if (recorded is not null && recorded.Sequence > believed.Sequence)
                            {
                                // The target is ahead of the checkpoint (a batch committed before its checkpoint was written).
                                return (recorded, new CopiedVolume(recorded.Rows - believed.Rows, recorded.Bytes - believed.Bytes));
                            }

                            var after = long.Parse(believed.LastKey![0], CultureInfo.InvariantCulture);
                            sql = "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid > $1 AND oid <= $2";
                            await ExecuteAsync(targetConnection, sql, ct, Oid(after), Oid(set.LastOid));

                            await using var sourceConnection = await source.OpenConnectionAsync(ct);
                            await using var sourceTransaction = await sourceConnection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                            var snapshot = options.SnapshotId is { } id ? $"SET TRANSACTION SNAPSHOT {SqlText.Literal(id)}; " : string.Empty;
                            await ExecuteAsync(sourceConnection, $"SET TRANSACTION READ ONLY; {snapshot}{ChunkSql.SessionSettings}", ct);
                            sql = ObjectsSql;
                            var objects = await ReadObjectsAsync(sourceConnection, after, set.LastOid, ct);
                            var written = 0;
                            long bytes = 0;
                            var last = after;
                            foreach (var lo in objects)
                            {
                                sql = $"SELECT pg_catalog.lo_create({lo.Oid})";
                                bytes += await CopyContentAsync(sourceConnection, targetConnection, lo.Oid, copied => inFlight.Streamed(believed.Sequence, new CopiedVolume(written, bytes + copied)), ct);
                                foreach (var statement in MetadataSql(lo, plan.OwnersAndGrants))
                                {
                                    sql = statement;
                                    await ExecuteAsync(targetConnection, statement, ct);
                                }

                                written++;
                                last = lo.Oid;
                                inFlight.Streamed(believed.Sequence, new CopiedVolume(written, bytes));
                                if (bytes >= options.BatchBytes)
                                {
                                    break;
                                }
                            }

                            var progress = believed with
                            {
                                Sequence = believed.Sequence + 1,
                                LastKey = [last.ToString(CultureInfo.InvariantCulture)],
                                Rows = believed.Rows + written,
                                Bytes = believed.Bytes + bytes,
                                Done = written == objects.Count,
                            };
                            sql = $"INSERT INTO {CopyLedger.ProgressTable} ...; COMMIT";
                            await CopyLedger.RecordProgressAndCommitAsync(targetTransaction, entry, progress, ct);
                            return (progress, new CopiedVolume(written, bytes));
                        }
                        catch
                        {
                            inFlight.Retract(believed.Sequence);
                            await owner.ReleaseAsync();
                            throw;
                        }
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ChunkCopyException(chunk, sql, ex);
            }

            checkpoint = outcome.Progress;
            if (await ChunkCheckpoint.StoreCommittedAsync(checkpoints, checkpoint, cancellationToken) is { } finished)
            {
                return finished;
            }

            inFlight.Committed(new CopiedVolume(Math.Max(0, outcome.Added.Rows), Math.Max(0, outcome.Added.Bytes)), checkpoint.Done);
        }

        return checkpoint;
    }

    /// <summary>One large object of the source, with what is said about it besides its content.</summary>
    private sealed record SourceObject(long Oid, string Owner, IReadOnlyList<AclEntry>? Acl, string? Comment);

    private static readonly string ObjectsSql =
        $"SELECT m.oid::int8, pg_catalog.pg_get_userbyid(m.lomowner)::text, {AclSql.Columns("m.lomacl")}, pg_catalog.obj_description(m.oid, 'pg_largeobject') " +
        "FROM pg_catalog.pg_largeobject_metadata m WHERE m.oid > $1 AND m.oid <= $2 ORDER BY m.oid";

    private static async Task<List<SourceObject>> ReadObjectsAsync(NpgsqlConnection connection, long after, long last, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ObjectsSql, connection);
        command.Parameters.Add(Oid(after));
        command.Parameters.Add(Oid(last));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var objects = new List<SourceObject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            objects.Add(new SourceObject(reader.GetInt64(0), reader.GetString(1), AclSql.Read(reader, 2), reader.Text(6)));
        }

        return objects;
    }

    // The object is created with its source oid, then filled a piece at a time: an object of any size costs one piece of memory.
    private async Task<long> CopyContentAsync(NpgsqlConnection sourceConnection, NpgsqlConnection targetConnection, long oid, Action<long> onStreamed, CancellationToken cancellationToken)
    {
        await ExecuteAsync(targetConnection, "SELECT pg_catalog.lo_create($1)", cancellationToken, Oid(oid));
        await using var read = new NpgsqlCommand("SELECT pg_catalog.lo_get($1, $2, $3)", sourceConnection);
        read.Parameters.Add(Oid(oid));
        var readOffset = read.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.PieceBytes });
        await using var write = new NpgsqlCommand("SELECT pg_catalog.lo_put($1, $2, $3)", targetConnection);
        write.Parameters.Add(Oid(oid));
        var writeOffset = write.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint });
        var content = write.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea });
        long offset = 0;
        while (true)
        {
            ((NpgsqlParameter<long>)readOffset).TypedValue = offset;
            var piece = (byte[])(await read.ScalarAsync(cancellationToken))!;
            if (piece.Length > 0)
            {
                ((NpgsqlParameter<long>)writeOffset).TypedValue = offset;
                ((NpgsqlParameter<byte[]>)content).TypedValue = piece;
                await write.ExecuteNonQueryAsync(cancellationToken);
                offset += piece.Length;
                onStreamed(offset);
            }

            if (piece.Length < options.PieceBytes)
            {
                return offset;
            }
        }
    }

    private static IEnumerable<string> MetadataSql(SourceObject lo, bool ownersAndGrants)
    {
        var name = lo.Oid.ToString(CultureInfo.InvariantCulture);
        if (lo.Comment is not null)
        {
            yield return $"COMMENT ON LARGE OBJECT {name} IS {SqlText.Literal(lo.Comment)}";
        }

        if (!ownersAndGrants)
        {
            yield break;
        }

        yield return $"ALTER LARGE OBJECT {name} OWNER TO {SqlText.Identifier(lo.Owner)}";
        foreach (var statement in lo.Acl is null ? Enumerable.Empty<string>() : GrantSql.Exactly("LARGE OBJECT", name, lo.Owner, lo.Acl))
        {
            yield return statement;
        }
    }

    private static NpgsqlParameter Oid(long oid) => new() { Value = (uint)oid, NpgsqlDbType = NpgsqlDbType.Oid };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
