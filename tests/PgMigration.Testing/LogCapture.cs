using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PgMigration.Testing;

/// <summary>Every formatted log line of a host under test, kept in memory instead of flooding the test output.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    // PGMIGRATE_TEST_LOGS=file also appends every line there as it is written, for a look at a hung run.
    private static readonly string? LogFile = Environment.GetEnvironmentVariable("PGMIGRATE_TEST_LOGS") is { Length: > 0 } path ? path : null;

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception}";
            lines.Enqueue(line);
            if (LogFile is not null)
            {
                lock (lines)
                {
                    File.AppendAllLines(LogFile, [line]);
                }
            }
        }
    }
}
