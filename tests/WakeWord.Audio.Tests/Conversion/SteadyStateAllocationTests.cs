using System.Runtime;
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

    // Long enough for a warm-up that waits for the JIT on a loaded machine: 30 s at CPU speed is thousands of reads.
    private const double AudioSeconds = 30.0;

    /// <summary>
    /// Steady state is what the audio path does once the runtime has compiled it for good. With tiered compilation a
    /// method is recompiled in the background after its first calls, and on a loaded machine that can finish after any
    /// fixed number of reads. (The few kB that windows after a clean one counted in suite runs under load, 1952 to 8128
    /// bytes with nothing compiled, were not the reads: a background GC, started by another test's large arrays, moves
    /// the counter of a thread that allocates nothing. Test hosts run without background GC: Directory.Build.props.)
    /// So: until the first clean window, reads may allocate (buffers made on first use); after it,
    /// a window that allocates while the JIT compiled something in the process (JitInfo) is still warm-up, and one that
    /// allocates while nothing was compiled fails at once; the reads must reach three clean windows in a row before the
    /// audio runs out (an allocation on every read never does), then two more windows must be clean too.
    /// </summary>
    private static void AssertReadsAllocateNothing(IAudioSource source)
    {
        float[] buffer = new float[1600];
        int clean = 0;
        bool warm = false;
        long[] perRead = new long[10];
        for (int window = 0; window < MaxWarmUpWindows && clean < 3; window++)
        {
            (long bytes, long compiled, string details) = Window(source, buffer, perRead);
            Assert.True(!warm || bytes == 0 || compiled > 0,
                $"window {window}: {bytes} bytes allocated after a clean window while nothing was being compiled; {details}");
            warm |= bytes == 0;
            clean = bytes == 0 ? clean + 1 : 0;
        }

        Assert.True(clean == 3, $"no three clean windows in a row in {MaxWarmUpWindows} windows of 10 reads");
        for (int window = 0; window < 2; window++)
        {
            // Strict, JIT or not.
            (long bytes, _, string details) = Window(source, buffer, perRead);
            Assert.True(bytes == 0, $"final window {window}: {bytes} bytes allocated after three clean windows; {details}");
        }
    }

    /// <summary>Ten reads: what they allocated, how many methods the JIT compiled meanwhile (anywhere in the process), and
    /// the details that say where to look when a window fails (it has, rarely, in full suite runs under load).</summary>
    private static (long Bytes, long Compiled, string Details) Window(IAudioSource source, float[] buffer, long[] perRead)
    {
        long compiledBefore = JitInfo.GetCompiledMethodCount(currentThread: false);
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long bytes = BytesAllocatedByTenReads(source, buffer, perRead);
        long compiled = JitInfo.GetCompiledMethodCount(currentThread: false) - compiledBefore;
        return (bytes, compiled, $"by read: [{string.Join(", ", perRead)}]; methods compiled meanwhile: {compiled}; "
            + $"GCs during the window: gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}");
    }

    // The audio holds AudioSeconds * 10 reads of 0.1 s: the warm-up may use all but the last two windows.
    private const int MaxWarmUpWindows = (int)(AudioSeconds * 10) / 10 - 2;

    private static long BytesAllocatedByTenReads(IAudioSource source, float[] buffer, long[] perRead)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(source.Read(buffer, CancellationToken.None) > 0);
            perRead[i] = GC.GetAllocatedBytesForCurrentThread() - start;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
