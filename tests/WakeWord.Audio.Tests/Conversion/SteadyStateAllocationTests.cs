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
        float[] tone = TestWav.Sine(rate, 440, 3.0);
        string path = _wav.Write("steady.wav", new WaveFormat(rate, 16, channels), Enumerable.Repeat(tone, channels).ToArray());
        using var source = new WavFileSource(path);

        AssertReadsAllocateNothing(source);
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(8000)]
    public void StdinReadsAllocateNothingAfterWarmUp(int rate)
    {
        byte[] pcm = new byte[rate * 2 * 3];
        new Random(5).NextBytes(pcm);
        using var source = new StdinPcmSource(new MemoryStream(pcm), inputSampleRate: rate);

        AssertReadsAllocateNothing(source);
    }

    private static void AssertReadsAllocateNothing(IAudioSource source)
    {
        float[] buffer = new float[1600];
        for (int i = 0; i < 5; i++)
        {
            Assert.True(source.Read(buffer, CancellationToken.None) > 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(source.Read(buffer, CancellationToken.None) > 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
