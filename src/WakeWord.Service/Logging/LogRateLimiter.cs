namespace WakeWord.Service.Logging;

/// <summary>
/// Lets one log line through per interval and counts those held back, for lines a client can cause at any rate (a
/// reconnect storm against a full service wrote 69,000 warnings in 20 s and doubled the service's memory).
/// </summary>
public sealed class LogRateLimiter(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastLogged;
    private bool _loggedOnce;
    private long _heldBack;

    public TimeSpan Interval => interval;

    /// <summary>True when this occurrence should be logged; <paramref name="heldBackSince"/> is how many were not since the last one.</summary>
    public bool TryEnter(out long heldBackSince)
    {
        lock (_gate)
        {
            long now = time.GetTimestamp();
            if (!_loggedOnce || time.GetElapsedTime(_lastLogged, now) >= interval)
            {
                heldBackSince = _heldBack;
                _heldBack = 0;
                _lastLogged = now;
                _loggedOnce = true;
                return true;
            }

            _heldBack++;
            heldBackSince = 0;
            return false;
        }
    }
}
