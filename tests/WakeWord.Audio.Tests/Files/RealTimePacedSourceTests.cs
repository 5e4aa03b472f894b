using System.Diagnostics;
using WakeWord.Audio.Files;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Files;

/// <summary>Audio:RealTime: a recording delivered like a microphone would. Waits only ever overshoot, so the checks are lower bounds.</summary>
public sealed class RealTimePacedSourceTests
{
    [Fact]
    public void Audio_comes_no_faster_than_real_time_and_all_of_it_arrives()
    {
        using var paced = new RealTimePacedSource(new SilenceSource(16000 * 6 / 10));
        float[] buffer = new float[1600];
        var clock = Stopwatch.StartNew();
        int first = paced.Read(buffer, CancellationToken.None);
        TimeSpan firstAt = clock.Elapsed;
        long total = first;
        int read;
        while ((read = paced.Read(buffer, CancellationToken.None)) > 0)
        {
            total += read;
        }

        Assert.Equal(1600, first);
        Assert.True(firstAt >= TimeSpan.FromMilliseconds(95), $"the first 100 ms came after {firstAt.TotalMilliseconds:F0} ms");
        Assert.Equal(16000 * 6 / 10, total);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(595), $"600 ms of audio in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.EndsWith("(real time)", paced.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_ends_a_wait()
    {
        using var paced = new RealTimePacedSource(new SilenceSource(16000 * 60));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => paced.Read(new float[16000 * 30], cancel.Token)); // 30 s of audio due
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Steady_state_reads_allocate_nothing()
    {
        using var paced = new RealTimePacedSource(new SilenceSource(16000 * 10));
        float[] buffer = new float[160];
        for (int i = 0; i < 40; i++)
        {
            // Past the JIT's tier-up (30 calls), which may allocate once.
            paced.Read(buffer, CancellationToken.None);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            paced.Read(buffer, CancellationToken.None);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A finite stretch of silence, available at once (like a file).</summary>
    private sealed class SilenceSource(int samples) : IAudioSource
    {
        private int _left = samples;

        public int SampleRate => 16000;

        public string Description => "silence";

        public int Read(Span<float> destination, CancellationToken cancellationToken)
        {
            int count = Math.Min(_left, destination.Length);
            destination[..count].Clear();
            _left -= count;
            return count;
        }

        public void Dispose()
        {
        }
    }
}
