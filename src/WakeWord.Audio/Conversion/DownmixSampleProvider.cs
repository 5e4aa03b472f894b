using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>
/// Averages the channels of an interleaved source into mono. NAudio's StereoToMonoSampleProvider takes only two channels;
/// WAV files may have any number.
/// </summary>
public sealed class DownmixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider source;
    private readonly int channels;
    private readonly float scale;
    private float[] interleaved = [];

    public DownmixSampleProvider(ISampleProvider source)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        channels = source.WaveFormat.Channels;
        if (channels < 1)
        {
            throw new ArgumentException($"source has {channels} channels; at least 1 is needed", nameof(source));
        }

        scale = 1f / channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer)
    {
        int needed = buffer.Length * channels;
        if (interleaved.Length < needed)
        {
            // Grows once to the largest request, then reused: steady-state reads of a fixed size allocate nothing.
            interleaved = new float[needed];
        }

        int read = source.Read(interleaved.AsSpan(0, needed));
        int frames = read / channels;
        for (int frame = 0; frame < frames; frame++)
        {
            float sum = 0f;
            int start = frame * channels;
            for (int channel = 0; channel < channels; channel++)
            {
                sum += interleaved[start + channel];
            }

            buffer[frame] = sum * scale;
        }

        return frames;
    }
}
