using NAudio.Wave;

namespace WakeWord.Audio.Conversion;

/// <summary>Builds bottom -> <see cref="Downmix"/> (if several channels) -> <see cref="MonoResampler"/> (if another rate).</summary>
internal static class SampleChain
{
    public static SampleProviderReader ToMono(EndTrackingSampleProvider bottom, int sampleRate)
    {
        ISampleProvider chain = bottom;
        if (chain.WaveFormat.Channels > 1)
        {
            chain = new DownmixSampleProvider(chain);
        }

        if (chain.WaveFormat.SampleRate != sampleRate)
        {
            chain = new ResamplingSampleProvider(chain, sampleRate);
        }

        return new SampleProviderReader(chain, bottom);
    }
}
