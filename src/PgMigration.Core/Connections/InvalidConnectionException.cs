namespace PgMigration.Core.Connections;

/// <summary>A connection string or spec that cannot be used. The message never contains a password.</summary>
public sealed class InvalidConnectionException(string message) : Exception(message);
