using Npgsql;
using PgMigration.Core.Connections;

namespace PgMigration.Cli.Commands;

/// <summary>A server a command signed in to: the connection as used (with the password it signed in with, never shown) and its pool.</summary>
internal sealed record SignedInServer(ConnectionSpec Spec, NpgsqlDataSource Data) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Data.DisposeAsync();
}
