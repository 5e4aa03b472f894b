using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>An interleaved source averaged into mono (<see cref="Downmix"/>): WAV files may have any number of channels.</summary>
public sealed class DownmixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private float[] _interleaved = [];

    public DownmixSampleProvider(ISampleProvider source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _channels = source.WaveFormat.Channels;
        if (_channels < 1)
        {
            throw new ArgumentException($"source has {_channels} channels; at least 1 is needed", nameof(source));
        }

        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer)
    {
        int needed = buffer.Length * _channels;
        if (_interleaved.Length < needed)
        {
            // Grows once to the largest request, then reused: steady-state reads of a fixed size allocate nothing.
            _interleaved = new float[needed];
        }

        int read = _source.Read(_interleaved.AsSpan(0, needed));
        return Downmix.Average(_interleaved.AsSpan(0, read), _channels, buffer);
    }
}
