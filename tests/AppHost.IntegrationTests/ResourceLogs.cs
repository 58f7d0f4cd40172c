using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AppHost.IntegrationTests;

/// <summary>
/// Every log line of the AppHost and its resources (Aspire.Hosting.Testing forwards resource output to ILogger), kept in
/// memory so that a failure can show what the migrator, a server or a service printed.
/// </summary>
public sealed class ResourceLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <summary>The last lines whose category names the resource (AppHost.Resources.migrator), or every line when null.</summary>
    public string Tail(string? resource = null, int lines = 40)
    {
        var selected = _lines.Where(line => resource is null || line.Contains($".Resources.{resource}]", StringComparison.Ordinal)).ToList();
        return string.Join(Environment.NewLine, selected.Skip(Math.Max(0, selected.Count - lines)));
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{category}] {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetBaseException().Message)}");
            }
        }
    }
}
