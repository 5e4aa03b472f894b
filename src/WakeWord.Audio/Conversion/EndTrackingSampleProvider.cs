using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// Wraps the bottom of a provider chain and remembers when it reached its end, so the top of the chain can tell
/// "no output yet" (a resampler waiting for input) from "no more output".
/// </summary>
internal sealed class EndTrackingSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly Action? _onEnd;

    /// <param name="source">The bottom provider.</param>
    /// <param name="onEnd">Called once when the source ends; may throw to report a truncated input.</param>
    public EndTrackingSampleProvider(ISampleProvider source, Action? onEnd = null)
    {
        _source = source;
        _onEnd = onEnd;
    }

    public WaveFormat WaveFormat => _source.WaveFormat;

    public bool Ended { get; private set; }

    public int Read(Span<float> buffer)
    {
        if (Ended || buffer.IsEmpty)
        {
            return 0;
        }

        int read = _source.Read(buffer);
        if (read == 0)
        {
            Ended = true;
            _onEnd?.Invoke();
        }

        return read;
    }
}
