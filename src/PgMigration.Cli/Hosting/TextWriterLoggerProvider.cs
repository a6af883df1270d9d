using Microsoft.Extensions.Logging;

namespace PgMigration.Cli.Hosting;

/// <summary>Warnings and errors of the engine (retries, skipped objects) as plain lines on the command's error stream.</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (writer)
                {
                    writer.WriteLine($"  {formatter(state, exception)}");
                }
            }
        }
    }
}
