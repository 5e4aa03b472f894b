namespace WakeWord.Service.Events;

/// <summary>
/// Lets one log line through per interval and counts those held back, for lines a client can cause at any rate (a
/// reconnect storm against a full service wrote 69,000 warnings in 20 s and doubled the service's memory).
/// </summary>
public sealed class LogRateLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Lock gate = new();
    private long lastLogged;
    private bool loggedOnce;
    private long heldBack;

    public TimeSpan Interval => interval;

    /// <summary>True when this occurrence should be logged; <paramref name="heldBackSince"/> is how many were not since the last one.</summary>
    public bool TryEnter(out long heldBackSince)
    {
        lock (gate)
        {
            long now = time.GetTimestamp();
            if (!loggedOnce || time.GetElapsedTime(lastLogged, now) >= interval)
            {
                heldBackSince = heldBack;
                heldBack = 0;
                lastLogged = now;
                loggedOnce = true;
                return true;
            }

            heldBack++;
            heldBackSince = 0;
            return false;
        }
    }
}
