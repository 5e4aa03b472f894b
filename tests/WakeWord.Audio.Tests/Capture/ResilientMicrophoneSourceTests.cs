using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WakeWord.Audio.Capture;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>The fault handling of the resilient wrapper, with scripted devices (the real-server versions are in PulseFaultTests).</summary>
public sealed class ResilientMicrophoneSourceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static int Reports(ListLogger logger) => logger.Entries.Count(e => e.Message.Contains("dropped samples", StringComparison.Ordinal));

    private static readonly CaptureSettings Fast = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        OverrunLogInterval = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public void Device_missing_at_start_is_retried_with_capped_exponential_backoff_then_comes_back()
    {
        var script = new ScriptedCaptureDevice.Script
        {
            OpenFailure = attempt => attempt <= 6 ? new CaptureDeviceException(CaptureFault.NotFound, "no such mic") : null,
        };
        var logger = new ListLogger();
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);

        Assert.True(status.WaitFor(AudioSourceStatusKind.Listening, Wait), status.ToString());
        Assert.True(recorder.WaitForMore(320, Wait));
        // Never opened, so not "lost": missing, then listening once it opens.
        Assert.Equal([AudioSourceStatusKind.DeviceMissing, AudioSourceStatusKind.Listening], status.Items.Select(s => s.Kind));
        Assert.Equal(7, script.Opens);
        Assert.Equal(7, script.Disposals + 1); // every failed attempt's device was disposed; the open one is still in use

        DateTime[] times;
        lock (script.OpenTimes)
        {
            times = [.. script.OpenTimes];
        }

        double[] gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        // 50, 100, 200, 200, 200, 200 ms: doubling, then capped. A wait never undershoots, so the lower bounds prove the
        // doubling; a loaded machine may overshoot any one wait, so the cap is checked on the sum of the capped ones
        // (600 ms capped, 400 + 800 + 1600 ms uncapped).
        double[] expected = [50, 100, 200, 200, 200, 200];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(gaps[i] >= expected[i] - 5, $"gap {i} was {gaps[i]:F0} ms, expected at least {expected[i]} ms");
        }

        Assert.True(gaps[3] + gaps[4] + gaps[5] < 1800, $"capped gaps {gaps[3]:F0} + {gaps[4]:F0} + {gaps[5]:F0} ms");

        Assert.Equal(6, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("no such mic", StringComparison.Ordinal)));
    }

    [Fact]
    public void Lost_device_is_reported_once_and_reopened_while_read_keeps_blocking_instead_of_returning_zero()
    {
        var script = new ScriptedCaptureDevice.Script
        {
            LoseAfterReads = 5,
            OpenFailure = attempt => attempt is 2 or 3 ? new CaptureDeviceException(CaptureFault.Busy, "held by another program") : null,
        };
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, new ListLogger());
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);

        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceBack, Wait), status.ToString());
        Assert.True(recorder.WaitForMore(3200, Wait));
        Assert.Equal(
            [AudioSourceStatusKind.Listening, AudioSourceStatusKind.DeviceLost, AudioSourceStatusKind.DeviceBack],
            status.Items.Select(s => s.Kind));
        Assert.Contains("fake device unplugged", status.Items[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(recorder.Reads(), r => r.Count == 0);
        Assert.Null(recorder.Error);
    }

    [Fact]
    public void Surprise_exception_from_a_backend_does_not_kill_the_capture_thread()
    {
        var script = new ScriptedCaptureDevice.Script
        {
            OpenFailure = attempt => attempt == 1 ? new DllNotFoundException("libfoo.so.1") : null,
        };
        var logger = new ListLogger();
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, logger);
        using var recorder = new CaptureRecorder(source);
        Assert.True(recorder.WaitForMore(320, Wait));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("unexpected", StringComparison.Ordinal));
    }

    [Fact]
    public void Dropped_samples_and_device_overruns_are_counted_and_logged_once_per_report_interval()
    {
        var script = new ScriptedCaptureDevice.Script { ReadMilliseconds = 5, OverrunsPerRead = 1 };
        var logger = new ListLogger();
        var time = new FakeTimeProvider();
        CaptureSettings settings = Fast with { RingCapacity = TimeSpan.FromMilliseconds(100) };
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", settings, logger, time);
        source.Start();

        // Nobody reads: the 100 ms ring fills and the rest is dropped and counted, never blocking the device.
        Assert.True(SpinWait.SpinUntil(() => source.DroppedSamples > 16000 / 2 && source.Overruns > 100, Wait), $"dropped {source.DroppedSamples}, overruns {source.Overruns}");
        // Something overflowed on every read (every 5 ms), but the clock has not reached a report interval: no report.
        Assert.Equal(0, Reports(logger));

        // Each report interval on the clock gives exactly one report, however many reads overflowed in it.
        for (int interval = 1; interval <= 3; interval++)
        {
            time.Advance(settings.OverrunLogInterval);
            Assert.True(SpinWait.SpinUntil(() => Reports(logger) >= interval, Wait), $"{Reports(logger)} reports after {interval} intervals");
            long overruns = source.Overruns;
            Assert.True(SpinWait.SpinUntil(() => source.Overruns > overruns + 20, Wait)); // many more reads overflow meanwhile
            Assert.Equal(interval, Reports(logger));
        }

        Assert.Equal(1600, source.BufferedSamples);
    }

    [Fact]
    public void Late_subscriber_learns_the_current_status()
    {
        var script = new ScriptedCaptureDevice.Script();
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, new ListLogger());
        var early = new StatusLog();
        using IDisposable first = source.Status.Subscribe(early);
        source.Start();
        Assert.True(early.WaitFor(AudioSourceStatusKind.Listening, Wait), early.ToString());

        // Subscribed after the source said it listens: the replayed status tells it so.
        var late = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(late);
        Assert.Equal([AudioSourceStatusKind.Listening], late.Items.Select(i => i.Kind));
    }

    [Fact]
    public async Task Dispose_stops_the_device_and_ends_a_blocked_read()
    {
        var script = new ScriptedCaptureDevice.Script
        {
            OpenFailure = _ => new CaptureDeviceException(CaptureFault.NotFound, "never there"),
        };
        var logger = new ListLogger();
        var time = new FakeTimeProvider();
        var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, logger, time);
        Task<int> read = Task.Run(() => source.Read(new float[320], CancellationToken.None));
        // The read has started the capture thread; it retries only as the clock moves (the wait may not have begun
        // when the clock is first moved, so keep moving it).
        Assert.True(SpinWait.SpinUntil(() =>
        {
            time.Advance(Fast.InitialRetryDelay);
            return script.Opens >= 2;
        }, Wait), $"opens {script.Opens}");
        Assert.False(read.IsCompleted); // blocked while the device is away

        source.Dispose();

        Assert.Equal(0, await read.WaitAsync(Wait));
        // Dispose ended the capture thread (it logged its stop), so however much time passes nothing is opened again.
        Assert.Contains(logger.Entries, e => e.Message == "Microphone fake:mic stopped");
        int opens = script.Opens;
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(opens, script.Opens);
    }

    [Fact]
    public void Read_after_dispose_is_the_end_of_the_stream()
    {
        var script = new ScriptedCaptureDevice.Script();
        var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, new ListLogger());
        source.Dispose();
        Assert.Equal(0, source.Read(new float[320], CancellationToken.None));
        Assert.Equal(0, script.Opens); // nothing was started after Dispose
        Assert.Throws<ObjectDisposedException>(source.Start);
    }

    [Fact]
    public void Read_honours_cancellation_while_blocked()
    {
        var script = new ScriptedCaptureDevice.Script { OpenFailure = _ => new CaptureDeviceException(CaptureFault.NotFound, "never there") };
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, new ListLogger());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => source.Read(new float[320], cts.Token));
    }

    [Fact]
    public void Steady_state_read_allocates_nothing()
    {
        // Real-time pace, so every read really blocks. The first blocking waits and the JIT's tier-up (after 30 calls)
        // allocate once; warm-up covers both, and the steady state after it must not allocate at all.
        var script = new ScriptedCaptureDevice.Script { ReadMilliseconds = 10 };
        using var source = new ResilientMicrophoneSource(() => new ScriptedCaptureDevice(script), "fake:mic", Fast, new ListLogger());
        float[] buffer = new float[320];
        for (int i = 0; i < 100; i++)
        {
            source.Read(buffer, CancellationToken.None);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = 0;
        for (int i = 0; i < 25; i++)
        {
            total += source.Read(buffer, CancellationToken.None);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 25 reads");
        Assert.True(total >= 25 * 320);
    }

    [Theory]
    [InlineData(0, "Capture chunk")]
    [InlineData(1500, "Capture chunk")]
    public void Bad_settings_are_refused_with_a_message_naming_the_value(int chunkMs, string expected)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new CaptureSettings { ChunkMilliseconds = chunkMs }.Validate());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(chunkMs.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_chunks_get_a_ring_and_stall_timeout_of_at_least_four_chunks()
    {
        CaptureSettings settings = CaptureSettings.ForChunk(1000).Validate();
        Assert.Equal(TimeSpan.FromSeconds(4), settings.RingCapacity);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), CaptureSettings.ForChunk(20).RingCapacity);
    }

    [Fact]
    public void Bad_retry_delays_are_refused()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new CaptureSettings { InitialRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Contains("Retry delays", ex.Message, StringComparison.Ordinal);
    }
}
