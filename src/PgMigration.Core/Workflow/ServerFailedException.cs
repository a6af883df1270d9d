using PgMigration.Core.Connections;

namespace PgMigration.Core.Workflow;

/// <summary>
/// A server's error in work that uses both servers, named with the side it came from, so that a failure
/// on the target never reads as one on the source. The cause stays inner, for the retry policy to judge.
/// </summary>
internal sealed class ServerFailedException(string side, ConnectionSpec spec, Exception inner)
    : Exception($"On the {side} server {spec.Display}: {inner.Message}", inner);
