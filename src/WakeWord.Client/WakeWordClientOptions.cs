namespace WakeWord.Client;

/// <summary>Settings of <see cref="WakeWordClient"/>.</summary>
public sealed class WakeWordClientOptions
{
    /// <summary>Socket path (Unix) or pipe name (Windows); null looks in the default places (<see cref="PipeLocations"/>).</summary>
    public string? PipeName { get; init; }

    /// <summary>Reconnect after the connection is lost (service restart). When false, the event streams end at the first disconnect.</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>First wait between connection attempts; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between connection attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock of the waits between attempts (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Silence after which the connection is taken for dead and dropped (then reconnected). Null: three heartbeat
    /// intervals as announced in the hello (15 s before the hello arrives).
    /// </summary>
    public TimeSpan? HeartbeatTimeout { get; init; }

    /// <summary>Words to receive; null for all. Sent again after every reconnect.</summary>
    public IReadOnlyList<string>? Words { get; init; }

    internal void Validate()
    {
        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            throw new ArgumentException($"RetryDelay ({RetryDelay}) must be positive and at most MaxRetryDelay ({MaxRetryDelay}).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (HeartbeatTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentException($"HeartbeatTimeout ({t}) must be positive.");
        }

        if (Words is { } w && (w.Count == 0 || w.Any(string.IsNullOrWhiteSpace)))
        {
            throw new ArgumentException("Words must be null (all words) or a non-empty list of non-empty words.");
        }
    }
}
