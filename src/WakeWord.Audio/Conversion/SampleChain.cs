using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace WakeWord.Audio.Conversion;

/// <summary>Builds bottom -> downmix (if several channels) -> resample (if another rate), all NAudio managed code.</summary>
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
            chain = new WdlResamplingSampleProvider(chain, sampleRate);
        }

        return new SampleProviderReader(chain, bottom);
    }
}
