using WakeWord.Audio.Capture;
using WakeWord.Core.Audio;
using Xunit.Abstractions;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Captures for a while as a detector would and checks real-time pace: 16000 samples per second of wall clock, reads
/// spaced about a chunk apart, and a backlog in the ring that stays small and does not grow.
/// </summary>
internal static class CapturePace
{
    public static void Check(string backend, string device, TimeSpan duration, ITestOutputHelper output)
    {
        var settings = new CaptureSettings();
        var logger = new ListLogger();
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create(backend, device, settings, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source, settings.ChunkSamples);
        Assert.True(status.WaitFor(AudioSourceStatusKind.Listening, TimeSpan.FromSeconds(5)), $"not listening: {status} {logger}");

        // Let start-up bursts (server prebuffering) settle before measuring: a second of audio first.
        Assert.True(recorder.WaitForMore(settings.SampleRate, TimeSpan.FromSeconds(10)), "no second of audio after start");
        var backlog = new List<int>();
        DateTime end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            Thread.Sleep(250);
            backlog.Add(source.BufferedSamples);
        }

        (double Seconds, int Count)[] reads = recorder.Reads();
        Assert.Null(recorder.Error);
        double t0 = reads[0].Seconds + 1.0;
        (double Seconds, int Count)[] steady = reads.Where(r => r.Seconds >= t0).ToArray();
        double span = steady[^1].Seconds - steady[0].Seconds;
        long samples = steady.Skip(1).Sum(r => (long)r.Count);
        double rate = samples / span;
        double[] gaps = steady.Zip(steady.Skip(1), (a, b) => (b.Seconds - a.Seconds) * 1000).Order().ToArray();
        double p50 = gaps[gaps.Length / 2], p99 = gaps[(int)(gaps.Length * 0.99)], max = gaps[^1];
        int quarter = Math.Max(1, backlog.Count / 4);
        int firstMax = backlog.Take(quarter).Max(), lastMax = backlog.TakeLast(quarter).Max();
        output.WriteLine(
            $"{source.Description}, {duration.TotalSeconds:F0} s: {rate:F1} samples/s, read gaps p50 {p50:F1} ms p99 {p99:F1} ms max {max:F1} ms, " +
            $"backlog max first quarter {firstMax} last quarter {lastMax} samples, device latency {source.DeviceLatency.TotalMilliseconds:F1} ms, " +
            $"overruns {source.Overruns}, dropped {source.DroppedSamples}");

        Assert.InRange(rate, 16000 * 0.98, 16000 * 1.02);
        // A read per chunk: the median gap is one chunk; a loaded machine may delay some, never by seconds.
        Assert.InRange(p50, settings.ChunkMilliseconds * 0.5, settings.ChunkMilliseconds * 2.0);
        Assert.True(max < 500, $"a read waited {max:F0} ms");
        // No growing backlog: the reader keeps up, so the ring never holds more than a few chunks.
        Assert.True(lastMax <= Math.Max(firstMax, settings.ChunkSamples) + (4 * settings.ChunkSamples), $"backlog grew from {firstMax} to {lastMax} samples");
        Assert.Equal(0, source.DroppedSamples);
        Assert.True(status.Count(AudioSourceStatusKind.DeviceLost) == 0, $"the device was lost while capturing: {status}\n{logger}");
    }
}
