using System.Data.Common;
using Npgsql;

namespace PgMigration.Core.Catalog;

/// <summary>One catalog-reading connection and snapshot; maps query rows to records.</summary>
internal sealed class Session(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is uint[] ? new NpgsqlParameter(name, value) { DataTypeName = "oid[]" } : new NpgsqlParameter(name, value));
        }

        try
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        catch (PostgresException ex)
        {
            throw new CatalogReadException($"Reading the source catalog failed: {ex.MessageText} (SQLSTATE {ex.SqlState}). Query: {sql}", ex);
        }
    }
}

internal static class DataRecordExtensions
{
    public static uint Oid(this DbDataReader reader, int ordinal) => reader.GetFieldValue<uint>(ordinal);

    public static string? Text(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>The source catalog could not be read (permissions, an unexpected server).</summary>
public sealed class CatalogReadException(string message, Exception inner) : Exception(message, inner);
