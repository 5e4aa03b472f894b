using WakeWord.Audio.Capture;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Tests.Capture;

/// <summary>
/// The Windows capture path (push callbacks, conversion, bridge, resilient wrapper) through the same ILiveAudioSource,
/// with a fake WASAPI producer; the hardware test runs only on Windows, by category.
/// </summary>
public sealed class WasapiPathTests
{
    [Fact]
    public void Pushed_48k_stereo_float_comes_out_as_16k_mono_with_the_same_tone()
    {
        float[] tone = TestWav.Sine(48000, 700, 1.0, 0.4f);
        using var source = new ResilientMicrophoneSource(() => new FakeWasapiDevice(tone), "fakewasapi:default", new CaptureSettings(), new ListLogger());
        using var recorder = new CaptureRecorder(source);
        Assert.True(recorder.WaitForMore(16000 + 1600, TimeSpan.FromSeconds(10)));
        float[] got = recorder.Samples();

        ReadOnlySpan<float> middle = got.AsSpan(1600, 12800);
        Assert.InRange(SignalMath.Rms(middle), 0.4 / Math.Sqrt(2) * 0.97, 0.4 / Math.Sqrt(2) * 1.03);
        Assert.True(SignalMath.PowerAt(middle, 16000, 700) > 1000 * SignalMath.PowerAt(middle, 16000, 1400));
        // After the tone the producer sends "silent" packets: zeros, not the scribbled buffer.
        Assert.True(SignalMath.Rms(got.AsSpan(16000 + 200, 1000)) < 1e-3);
    }

    [Fact]
    public void Device_invalidated_mid_capture_is_reported_and_the_device_reopened()
    {
        float[] tone = TestWav.Sine(48000, 700, 0.5, 0.4f);
        int opened = 0;
        var settings = new CaptureSettings { InitialRetryDelay = TimeSpan.FromMilliseconds(50) };
        using var source = new ResilientMicrophoneSource(
            () => new FakeWasapiDevice(tone, stopWithErrorAfterCallbacks: Interlocked.Increment(ref opened) == 1 ? 20 : 0),
            "fakewasapi:default",
            settings,
            new ListLogger());
        var status = new StatusLog();
        using IDisposable sub = source.Status.Subscribe(status);
        using var recorder = new CaptureRecorder(source);
        Assert.True(status.WaitFor(AudioSourceStatusKind.DeviceBack, TimeSpan.FromSeconds(10)), status.ToString());
        Assert.Contains("AUDCLNT_E_DEVICE_INVALIDATED", status.Items.Single(s => s.Kind == AudioSourceStatusKind.DeviceLost).Message, StringComparison.Ordinal);
        Assert.True(recorder.WaitForMore(3200, TimeSpan.FromSeconds(5)));
    }

    [WindowsHardwareFact]
    [Trait("Category", "Hardware")]
    public void Default_windows_microphone_delivers_audio()
    {
        using ILiveAudioSource source = MicrophoneSourceFactory.Create("wasapi", "", 20, new ListLogger());
        using var recorder = new CaptureRecorder(source);
        Assert.True(recorder.WaitForMore(16000, TimeSpan.FromSeconds(5)));
    }
}
