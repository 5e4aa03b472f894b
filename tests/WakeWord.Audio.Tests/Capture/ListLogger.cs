using Microsoft.Extensions.Logging;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>An ILogger that keeps what was logged, so tests can check that a fault was reported clearly.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message, DateTime Time)> _entries = [];

    public (LogLevel Level, string Message, DateTime Time)[] Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string text = formatter(state, exception);
        lock (_gate)
        {
            _entries.Add((logLevel, text, DateTime.UtcNow));
        }
    }

    /// <summary>One line per entry, with the time it was logged (UTC, to the millisecond), for failure messages.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Time:HH:mm:ss.fff} {e.Level}: {e.Message}"));
}
