using NAudio.Wave;
using WakeWord.Audio.Capture;
using WakeWord.Audio.Capture.Alsa;
using WakeWord.Audio.Capture.Pulse;
using Xunit.Abstractions;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// Capture through a real PulseAudio server: a chirp played with paplay into the null sink must come back through the
/// pulse backend and through ALSA's "pulse" device, at the level it was played, at real-time pace.
/// </summary>
[Collection(PulseServerCollection.Name)]
public sealed class PulseCaptureTests(PulseServerFixture server, ITestOutputHelper output)
{
    private const float Amplitude = 0.3f;

    public static TheoryData<string, string> Backends => new()
    {
        { "pulse", "" },
        { "pulse", PulseServerFixture.SourceName },
        { "alsa", "pulse" },
    };

    [PulseTheory]
    [MemberData(nameof(Backends))]
    public void Played_chirp_is_captured_at_its_level(string backend, string device)
    {
        float[] chirp = TestSignals.Chirp(1.0, 300, 3000, Amplitude);
        using var wav = new TestWav();
        string path = wav.Write("chirp.wav", new WaveFormat(16000, 16, 1), TestSignals.Padded(chirp, 0.2, 0.2));
        var logger = new ListLogger();
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create(backend, device, new CaptureSettings(), logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);
        Assert.True(status.WaitFor(Core.Audio.AudioSourceStatusKind.Listening, TimeSpan.FromSeconds(5)), $"not listening: {status} {logger}");
        Assert.True(recorder.WaitForMore(16000 / 4, TimeSpan.FromSeconds(5)), "no audio before playing");

        server.Play(path);
        Assert.True(recorder.WaitForMore(16000 / 2, TimeSpan.FromSeconds(5)), "no audio after playing");
        float[] captured = recorder.Samples();

        int onset = TestSignals.Onset(captured, Amplitude / 10);
        Assert.True(onset >= 0, $"the chirp never arrived (capture RMS {SignalMath.Rms(captured):F4})");
        (int lag, double corr) = TestSignals.FindSignal(captured, chirp, onset, 1600);
        double level = SignalMath.Rms(captured.AsSpan(lag, chirp.Length));
        double expected = SignalMath.Rms(chirp);
        double before = SignalMath.Rms(captured.AsSpan(0, Math.Max(1, onset - 1600)));
        output.WriteLine($"{source.Description}: correlation {corr:F3} at {lag}, level {level:F4} (played {expected:F4}), before {before:F5}, latency {source.DeviceLatency.TotalMilliseconds:F0} ms");
        Assert.True(corr > 0.9, $"captured audio does not match the played chirp: correlation {corr:F3}");
        Assert.InRange(level / expected, 0.85, 1.15);
        Assert.True(before < 0.005, $"noise before the chirp: RMS {before:F5}");
        Assert.Equal(0, source.DroppedSamples);
    }

    [PulseTheory]
    [InlineData("pulse", "")]
    [InlineData("alsa", "pulse")]
    public void A_microphone_opened_at_another_rate_delivers_that_rate(string backend, string device)
    {
        // Models for 8 kHz get the microphone at 8 kHz: a 1 kHz tone played at 16 kHz must come back as 1 kHz at 8000
        // samples per second (delivered at 16 kHz but called 8 kHz, it would read as 500 Hz).
        const int rate = 8000;
        float[] tone = [.. Enumerable.Range(0, 16000).Select(i => Amplitude * MathF.Sin(2 * MathF.PI * 1000 * i / 16000f))];
        using var wav = new TestWav();
        string path = wav.Write("tone.wav", new WaveFormat(16000, 16, 1), TestSignals.Padded(tone, 0.2, 0.2));
        var logger = new ListLogger();
        using ResilientMicrophoneSource source = MicrophoneSourceFactory.Create(backend, device, new CaptureSettings { SampleRate = rate }, logger);
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);
        Assert.True(status.WaitFor(Core.Audio.AudioSourceStatusKind.Listening, TimeSpan.FromSeconds(5)), $"not listening: {status} {logger}");
        Assert.Equal(rate, source.SampleRate);
        Assert.True(recorder.WaitForMore(rate / 4, TimeSpan.FromSeconds(5)), "no audio before playing");

        server.Play(path);
        Assert.True(recorder.WaitForMore(rate * 3 / 2, TimeSpan.FromSeconds(5)), "no audio after playing");
        float[] captured = recorder.Samples();
        int onset = TestSignals.Onset(captured, Amplitude / 10);
        Assert.True(onset >= 0, $"the tone never arrived (capture RMS {SignalMath.Rms(captured):F4})");
        Assert.True(captured.Length >= onset + rate * 3 / 5, $"{captured.Length} samples, onset {onset}");

        // Half a second from 0.1 s into the tone: 1 kHz crosses zero 2 * 1000 * 0.5 = 1000 times.
        ReadOnlySpan<float> middle = captured.AsSpan(onset + rate / 10, rate / 2);
        int crossings = 0;
        for (int i = 1; i < middle.Length; i++)
        {
            crossings += (middle[i - 1] < 0) != (middle[i] < 0) ? 1 : 0;
        }

        output.WriteLine($"{source.Description} at {rate} Hz: {crossings} zero crossings in 0.5 s, level {SignalMath.Rms(middle):F4}");
        Assert.InRange(crossings, 980, 1020);
        Assert.InRange(SignalMath.Rms(middle) / SignalMath.Rms(tone), 0.8, 1.2);
    }

    [PulseTheory]
    [InlineData("pulse", "")]
    [InlineData("alsa", "pulse")]
    public void Chunks_arrive_at_real_time_pace(string backend, string device) =>
        CapturePace.Check(backend, device, TimeSpan.FromSeconds(8), output);

    [PulseFact]
    public void Listing_names_the_test_source_and_the_alsa_pulse_and_default_devices()
    {
        IReadOnlyList<string> pulse = MicrophoneSourceFactory.ListDevices("pulse");
        Assert.Contains(PulseServerFixture.SourceName, pulse);
        Assert.Contains(PulseServerFixture.SinkName + ".monitor", pulse);
        IReadOnlyList<string> alsa = MicrophoneSourceFactory.ListDevices("alsa");
        Assert.Contains("pulse", alsa);
        Assert.Equal("default", alsa[0]); // the setting's default; ALSA itself lists it only where a config gives it a hint
        Assert.Single(alsa, d => d == "default");
    }

    [PulseFact]
    public void Alsa_device_grants_the_period_and_buffer_asked_for()
    {
        var settings = new CaptureSettings { ChunkMilliseconds = 20, DeviceBufferChunks = 10 };
        using var device = new AlsaCaptureDevice("pulse", settings);
        device.Open();
        output.WriteLine($"period {device.PeriodFrames} frames, buffer {device.BufferFrames} frames, latency {device.Latency.TotalMilliseconds:F1} ms");
        Assert.InRange(device.PeriodFrames, 160, 640);
        Assert.InRange(device.BufferFrames, device.PeriodFrames * 2, 6400);
    }

    [PulseTheory]
    [InlineData("alsa")]
    [InlineData("pulse")]
    public void Steady_state_device_reads_allocate_nothing(string backend)
    {
        var settings = new CaptureSettings();
        using ICaptureDevice device = backend == "alsa" ? new AlsaCaptureDevice("pulse", settings) : new PulseCaptureDevice(null, settings);
        device.Open();
        float[] buffer = new float[settings.ChunkSamples];
        // Past the JIT's tier-up (30 calls), which allocates once.
        for (int i = 0; i < 40; i++)
        {
            device.Read(buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 50; i++)
        {
            total += device.Read(buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    [PulseTheory]
    [InlineData("alsa")]
    [InlineData("pulse")]
    public void A_stream_that_joins_a_monitor_nobody_listens_to_hears_audio_without_a_false_stall(string backend)
    {
        // With no stream on its monitor the null sink renders up to 2 s ahead and sleeps, so a stream that joins then
        // hears nothing until that block ends. That wait is about the default stall timeout, which called it a loss now
        // and then (a reopen in the fault tests then missed the chirp); with a 1 s stall timeout it always did. The first
        // audio gets the first-audio timeout instead.
        var settings = new CaptureSettings { StallTimeout = TimeSpan.FromSeconds(1) };
        float[] buffer = new float[settings.ChunkSamples];
        TimeSpan ahead = server.WaitForSinkToRenderAhead(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        using ICaptureDevice device = backend == "alsa" ? new AlsaCaptureDevice("pulse", settings) : new PulseCaptureDevice(null, settings);
        device.Open();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        int n = device.Read(buffer); // a stall throws CaptureDeviceException (Lost)
        output.WriteLine($"sink {ahead.TotalSeconds:F2} s ahead; first {n} samples after {waited.Elapsed.TotalSeconds:F3} s");
        Assert.Equal(buffer.Length, n);
    }
}
