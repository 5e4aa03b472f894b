using NAudio.Wave;
using WakeWord.Audio.Files;
using WakeWord.Audio.Stdin;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Conversion;

/// <summary>The sources sit on the always-on audio path: after warm-up, reading fixed-size chunks allocates nothing.</summary>
public sealed class SteadyStateAllocationTests : IDisposable
{
    private readonly TestWav _wav = new();

    public void Dispose() => _wav.Dispose();

    [Theory]
    [InlineData(16000, 1)]
    [InlineData(44100, 2)]
    [InlineData(48000, 6)]
    public void WavFileReadsAllocateNothingAfterWarmUp(int rate, int channels)
    {
        float[] tone = TestWav.Sine(rate, 440, AudioSeconds);
        string path = _wav.Write("steady.wav", new WaveFormat(rate, 16, channels), Enumerable.Repeat(tone, channels).ToArray());
        using var source = new WavFileSource(path);

        AssertReadsAllocateNothing(source);
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(8000)]
    public void StdinReadsAllocateNothingAfterWarmUp(int rate)
    {
        byte[] pcm = new byte[rate * 2 * (int)AudioSeconds];
        new Random(5).NextBytes(pcm);
        using var source = new StdinPcmSource(new MemoryStream(pcm), inputSampleRate: rate);

        AssertReadsAllocateNothing(source);
    }

    // Enough for the longest warm-up plus the checked windows: 7 windows of 10 reads of 0.1 s.
    private const double AudioSeconds = 8.0;

    /// <summary>
    /// Warm-up lasts until one window of 10 reads allocates nothing (at most 5 windows: a per-read allocation never
    /// gets there), then the next two windows must allocate nothing either. A fixed warm-up is not enough: on a loaded
    /// machine the runtime's own first-use work (tiered compilation) can still land inside the window. Rarely, under
    /// CPU hogs, a window after a clean one has still counted a few kB; what allocates then is not known.
    /// </summary>
    private static void AssertReadsAllocateNothing(IAudioSource source)
    {
        float[] buffer = new float[1600];
        long warmUp = -1;
        for (int window = 0; window < 5 && warmUp != 0; window++)
        {
            warmUp = BytesAllocatedByTenReads(source, buffer);
        }

        Assert.Equal(0, warmUp);
        Assert.Equal(0, BytesAllocatedByTenReads(source, buffer));
        Assert.Equal(0, BytesAllocatedByTenReads(source, buffer));
    }

    private static long BytesAllocatedByTenReads(IAudioSource source, float[] buffer)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(source.Read(buffer, CancellationToken.None) > 0);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
