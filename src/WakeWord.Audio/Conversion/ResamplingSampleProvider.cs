using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>A mono sample provider at another rate, through the <see cref="MonoResampler"/> (output-driven).</summary>
internal sealed class ResamplingSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly MonoResampler _resampler;

    public ResamplingSampleProvider(ISampleProvider source, int sampleRate)
    {
        if (source.WaveFormat.Channels != 1)
        {
            throw new ArgumentException($"source has {source.WaveFormat.Channels} channels; downmix it to mono first", nameof(source));
        }

        _source = source;
        _resampler = new MonoResampler(source.WaveFormat.SampleRate, sampleRate, inputDriven: false);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(Span<float> buffer) => _resampler.Pull(buffer, _source);
}
