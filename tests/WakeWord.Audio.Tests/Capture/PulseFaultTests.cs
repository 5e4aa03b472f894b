using System.Globalization;
using Microsoft.Extensions.Logging;
using NAudio.Wave;
using WakeWord.Audio.Capture;
using WakeWord.Core.Audio;
using Xunit.Abstractions;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Device faults against the real server: a source that does not exist yet, one that is unplugged while recording, a
/// bogus ALSA device, and the whole sound server killed and restarted. The microphone must report, retry and come back.
/// </summary>
[Collection(PulseServerCollection.Name)]
public sealed class PulseFaultTests(PulseServerFixture server, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [PulseFact]
    public void Missing_source_is_reported_retried_and_picked_up_when_it_appears_and_an_unplug_is_survived()
    {
        string name = "wakeword_hotplug_" + Guid.NewGuid().ToString("N")[..6];
        var logger = new ListLogger();
        var settings = new CaptureSettings { InitialRetryDelay = TimeSpan.FromMilliseconds(200), MaxRetryDelay = TimeSpan.FromSeconds(1) };
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create("pulse", name, settings, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);

        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceMissing, Wait), $"no DeviceMissing: {status}");
        int Failures() => logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("unavailable", StringComparison.Ordinal));
        Assert.True(SpinWait.SpinUntil(() => Failures() >= 2, Wait), $"expected retries, log: {logger}");
        Assert.Contains(name, status.Items[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, recorder.SampleCount); // Read blocks while the device is away: no zero-length reads, no fake audio
        Assert.Null(recorder.Error);

        string module = server.Pactl("load-module", "module-remap-source", $"source_name={name}", $"master={PulseServerFixture.SinkName}.monitor").Trim();
        try
        {
            Assert.True(status.WaitFor(AudioSourceStatusKind.Listening, Wait), $"not listening: {status}\n{logger}");
            AssertChirpArrives(recorder, status, logger);

            // Unplug: the source disappears under a running stream. PulseAudio (14 and later) itself moves the stream to the
            // default source instead of ending it, so capture must simply go on (here the default source hears the same sink).
            server.Pactl("unload-module", module);
            module = string.Empty;
            Assert.True(recorder.WaitForMore(16000 / 4, Wait), "no audio after the source was unloaded"); // the stream moved on
            AssertChirpArrives(recorder, status, logger);
            Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceMissing));
            Assert.Equal(0, status.Count(AudioSourceStatusKind.DeviceLost));
            Assert.Null(recorder.Error);
        }
        finally
        {
            if (module.Length > 0)
            {
                server.Pactl("unload-module", module);
            }
        }

        output.WriteLine(status.ToString());
    }

    [PulseFact]
    public void Bogus_alsa_device_is_reported_and_retried_with_growing_backoff_without_crashing()
    {
        var logger = new ListLogger();
        var settings = new CaptureSettings { InitialRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(400) };
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create("alsa", "wakeword_no_such_pcm", settings, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);

        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceMissing, Wait));
        string[] Retries() => logger.Entries.Where(e => e.Message.Contains("unavailable", StringComparison.Ordinal)).Select(e => e.Message).ToArray();
        Assert.True(SpinWait.SpinUntil(() => Retries().Length >= 5, Wait), $"too few retries: {logger}");
        string[] retries = Retries();
        output.WriteLine(string.Join(Environment.NewLine, retries));
        // Each retry says its delay: 0.1, 0.2, 0.4, then it stops growing at the cap.
        Assert.Contains("wakeword_no_such_pcm", retries[0], StringComparison.Ordinal);
        Assert.Contains("in 0.1 s", retries[0], StringComparison.Ordinal);
        Assert.Contains("in 0.2 s", retries[1], StringComparison.Ordinal);
        Assert.All(retries[2..5], r => Assert.Contains("in 0.4 s", r, StringComparison.Ordinal));
        Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceMissing)); // one transition, however many retries
        Assert.Equal(0, status.Count(AudioSourceStatusKind.DeviceLost));    // it never had the device
        Assert.Equal(0, recorder.SampleCount);
        Assert.Null(recorder.Error);
    }

    [PulseTheory]
    [InlineData("pulse", "")]
    [InlineData("alsa", "pulse")]
    public void Killing_and_restarting_the_sound_server_is_survived(string backend, string device)
    {
        var logger = new ListLogger();
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create(backend, device, new CaptureSettings(), logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);
        Assert.True(status.WaitFor(AudioSourceStatusKind.Listening, Wait), $"not listening: {status}\n{logger}");
        Assert.True(recorder.WaitForMore(8000, Wait));

        server.Kill();
        try
        {
            Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceLost, Wait), $"server loss not noticed: {status}");
            // A retry or two against a dead server (the second is logged after the first backoff).
            Assert.True(SpinWait.SpinUntil(() => logger.Entries.Any(e => e.Message.Contains(" Retry 2 in ", StringComparison.Ordinal)), Wait), $"no second retry: {logger}");
        }
        finally
        {
            server.Restart();
        }

        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceBack, Wait), $"no DeviceBack after restart: {status}\n{logger}");
        AssertChirpArrives(recorder, status, logger);
        // One outage, one return: a fresh stream that waits for its first audio is not a loss of its own.
        Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceLost));
        Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceBack));
        Assert.Null(recorder.Error);
        output.WriteLine(status.ToString());
        output.WriteLine(logger.ToString());
    }

    [PulseTheory]
    [InlineData("pulse", "")]
    public void A_frozen_sound_server_is_a_stall_that_is_reported_and_recovered_from_when_it_runs_again(string backend, string device)
    {
        // SIGSTOP keeps the server's socket open: no error ever comes, only silence. The stall timeout must turn that
        // into DeviceLost, the reopen attempts must not hang on the frozen server either, and after SIGCONT capture
        // must come back. (pa_simple_read blocked here for good.)
        var logger = new ListLogger();
        var settings = new CaptureSettings { InitialRetryDelay = TimeSpan.FromMilliseconds(200), MaxRetryDelay = TimeSpan.FromSeconds(1) };
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create(backend, device, settings, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);
        Assert.True(status.WaitFor(AudioSourceStatusKind.Listening, Wait), $"not listening: {status}\n{logger}");
        Assert.True(recorder.WaitForMore(8000, Wait));

        server.Freeze();
        logger.LogInformation("test: froze the server");
        try
        {
            Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceLost, Wait), $"stall not noticed: {status}\n{logger}");
            Assert.Contains("delivered no audio for 2.0 s", status.Items.Last(s => s.Kind == AudioSourceStatusKind.DeviceLost).Message, StringComparison.Ordinal);
            // A reopen against the frozen server gives up too, with its own message, and the next one is scheduled.
            Assert.True(SpinWait.SpinUntil(() => logger.Entries.Any(e => e.Message.Contains("did not answer within", StringComparison.Ordinal)), Wait),
                $"no timed-out reopen: {logger}");
        }
        finally
        {
            server.Thaw();
            logger.LogInformation("test: thawed the server");
        }

        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceBack, Wait), $"no DeviceBack after SIGCONT: {status}\n{logger}");
        AssertChirpArrives(recorder, status, logger);
        // One stall, one return (a false stall of the first stream once came back before the freeze, so the chirp was
        // played while the real reopen was still under way).
        Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceLost));
        Assert.Equal(1, status.Count(AudioSourceStatusKind.DeviceBack));
        Assert.Null(recorder.Error);
        output.WriteLine(status.ToString());
        output.WriteLine(logger.ToString());
    }

    /// <summary>Plays a chirp and checks that it is found, with the right shape, in what the recorder gets next.</summary>
    private void AssertChirpArrives(CaptureRecorder recorder, StatusLog status, ListLogger logger)
    {
        float[] chirp = TestSignals.Chirp(0.5, 400, 2500, 0.3f);
        using var wav = new TestWav();
        string path = wav.Write("chirp.wav", new WaveFormat(16000, 16, 1), TestSignals.Padded(chirp, 0.1, 0.1));
        int start = recorder.SampleCount;
        logger.LogInformation("test: playing the chirp");
        server.Play(path);
        logger.LogInformation("test: chirp played");

        // The chirp comes through once the stream's own latency has passed: at once on an idle machine, later on a loaded
        // one just after the server came back (two CPU hogs: 0.5 s of audio after paplay had ended held none of it).
        float[] captured = [];
        int onset = -1;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (onset < 0 && waited.Elapsed < Wait)
        {
            Assert.True(recorder.WaitForMore(1600, Wait), "no audio after playing");
            captured = recorder.Samples()[start..];
            onset = TestSignals.Onset(captured, 0.03);
        }

        Assert.True(onset >= 0, string.Create(CultureInfo.InvariantCulture,
            $"chirp not captured in {captured.Length / 16000.0:F1} s of audio after it was played (RMS {SignalMath.Rms(captured):F4}); " +
            $"sources:\n{server.Pactl("list", "short", "sources")}\nrecord streams:\n{server.Pactl("list", "source-outputs")}\n" +
            $"status changes:\n{status}\nlog:\n{logger}\nserver log (end):\n{server.LogTail(30)}"));
        int needed = onset + chirp.Length + 1600 - captured.Length; // all of it, and the search margin
        if (needed > 0)
        {
            Assert.True(recorder.WaitForMore(needed, Wait), "the audio stopped during the chirp");
            captured = recorder.Samples()[start..];
        }

        (_, double corr) = TestSignals.FindSignal(captured, chirp, onset, 1600);
        Assert.True(corr > 0.9, $"captured audio does not match the chirp: correlation {corr:F3}");
    }
}
