using System.Diagnostics;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Files;

/// <summary>
/// Hands out another source's samples no faster than real time, the way a microphone would: each read returns once
/// the wall clock has caught up with the audio delivered so far. For playing a recording to the service and its pipe
/// subscribers as if it were spoken (Audio:RealTime). Steady state allocates nothing.
/// </summary>
public sealed class RealTimePacedSource(IAudioSource inner) : IAudioSource
{
    private readonly IAudioSource _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private long _startTimestamp;
    private long _delivered;

    public int SampleRate => _inner.SampleRate;

    public string Description => _inner.Description + " (real time)";

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        if (_startTimestamp == 0)
        {
            _startTimestamp = Stopwatch.GetTimestamp();
        }

        int read = _inner.Read(destination, cancellationToken);
        _delivered += read;
        var due = TimeSpan.FromTicks(_delivered * TimeSpan.TicksPerSecond / SampleRate);
        TimeSpan wait = due - Stopwatch.GetElapsedTime(_startTimestamp);
        if (wait > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(wait))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        return read;
    }

    public void Dispose() => _inner.Dispose();
}
