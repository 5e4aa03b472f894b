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
    /// gets there), then the next two windows must allocate nothing either. A fixed 5-read warm-up was not enough
    /// under two CPU hogs: one 48 kHz 6-channel run counted 8128 bytes once inside the window. This does not cure it:
    /// a later hog run counted 3592 bytes (stdin, 8 kHz) in a window after a clean one; the cause is open (issue 9).
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
