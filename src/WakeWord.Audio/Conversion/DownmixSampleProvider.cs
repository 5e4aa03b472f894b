using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// Averages the channels of an interleaved source into mono. NAudio's StereoToMonoSampleProvider takes only two channels;
/// WAV files may have any number.
/// </summary>
public sealed class DownmixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private readonly float _scale;
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

        _scale = 1f / _channels;
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
        int frames = read / _channels;
        for (int frame = 0; frame < frames; frame++)
        {
            float sum = 0f;
            int start = frame * _channels;
            for (int channel = 0; channel < _channels; channel++)
            {
                sum += _interleaved[start + channel];
            }

            buffer[frame] = sum * _scale;
        }

        return frames;
    }
}
