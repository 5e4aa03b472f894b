using System.Runtime.Versioning;
using NAudio.CoreAudioApi;
using NAudio.Wave;
using WakeWord.Audio.Conversion;

namespace WakeWord.Audio.Capture.Wasapi;

/// <summary>
/// Windows capture with NAudio's <see cref="WasapiRecorder"/> (NAudio 3's successor of the now obsolete WasapiCapture) in shared mode (the device's mix format, usually 48 kHz
/// stereo float), converted to mono float at the settings' rate by a <see cref="PushCaptureBridge"/> inside the DataAvailable handler.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WasapiCaptureDevice : ICaptureDevice
{
    // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT: the sub-format WASAPI mix formats (WAVE_FORMAT_EXTENSIBLE) use for float.
    private static readonly Guid IeeeFloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");
    private readonly string? _device;
    private readonly CaptureSettings _settings;
    private MMDeviceEnumerator? _enumerator;
    private MMDevice? _mmDevice;
    private WasapiRecorder? _capture;
    private PushCaptureBridge? _bridge;

    /// <param name="device">Null or "default" for the default capture endpoint, else a friendly name (or part of it) or an endpoint id.</param>
    public WasapiCaptureDevice(string? device, CaptureSettings settings)
    {
        _device = string.IsNullOrWhiteSpace(device) || device == "default" ? null : device;
        _settings = settings.Validate();
    }

    public string Description => $"wasapi:{_device ?? "default"}";

    public long Overruns => _bridge?.Overruns ?? 0;

    public TimeSpan Latency => TimeSpan.FromMilliseconds(_settings.ChunkMilliseconds * 2);

    public void Open()
    {
        try
        {
            _enumerator = new MMDeviceEnumerator();
            _mmDevice = _device is null ? FindDefault(_enumerator) : WasapiDeviceList.Find(_enumerator, _device);
            // Event-driven, buffer of two chunks: WASAPI signals per period, as ALSA does.
            _capture = new WasapiRecorderBuilder()
                .WithDevice(_mmDevice)
                .WithSharedMode()
                .WithEventSync()
                .WithBufferLength(_settings.ChunkMilliseconds * 2)
                .Build();
            WaveFormat wf = _capture.WaveFormat;
            var format = new CaptureFormat(wf.SampleRate, wf.Channels, ToSampleFormat(wf));
            // Room for a whole second per callback: WASAPI never hands over that much, and a larger block is split anyway.
            _bridge = new PushCaptureBridge(format, wf.AverageBytesPerSecond, Description, _settings.StallTimeout, _settings.SampleRate);
            _capture.DataAvailable += OnDataAvailable;
            _capture.RecordingStopped += OnRecordingStopped;
            _capture.StartRecording();
        }
        catch (CaptureDeviceException)
        {
            Dispose();
            throw;
        }
        catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException or ArgumentException)
        {
            Dispose();
            // AUDCLNT_E_DEVICE_IN_USE (0x8889000A) when another program holds the device exclusively.
            CaptureFault fault = ex.HResult == unchecked((int)0x8889000A) ? CaptureFault.Busy : CaptureFault.NotFound;
            throw new CaptureDeviceException(fault, $"cannot open WASAPI capture device {_device ?? "(default)"}: {ex.Message}", ex);
        }
    }

    public int Read(Span<float> destination) =>
        (_bridge ?? throw new InvalidOperationException($"{Description} is not open.")).Read(destination);

    public void Dispose()
    {
        if (_capture is not null)
        {
            _capture.DataAvailable -= OnDataAvailable;
            _capture.RecordingStopped -= OnRecordingStopped;
            try
            {
                _capture.StopRecording();
            }
            catch (Exception ex) when (ex is System.Runtime.InteropServices.COMException or InvalidOperationException)
            {
                // Already stopped because the device went away.
            }

            _capture.Dispose();
            _capture = null;
        }

        _mmDevice?.Dispose();
        _mmDevice = null;
        _enumerator?.Dispose();
        _enumerator = null;
        _bridge?.Dispose();
        _bridge = null;
    }

    private static MMDevice FindDefault(MMDeviceEnumerator enumerator) =>
        enumerator.HasDefaultAudioEndpoint(DataFlow.Capture, Role.Console)
            ? enumerator.GetDefaultAudioEndpoint(DataFlow.Capture, Role.Console)
            : throw new CaptureDeviceException(CaptureFault.NotFound, "there is no default capture device (no microphone plugged in or enabled).");

    private static CaptureSampleFormat ToSampleFormat(WaveFormat wf)
    {
        bool isFloat = wf.Encoding == WaveFormatEncoding.IeeeFloat
            || (wf is WaveFormatExtensible ext && ext.SubFormat == IeeeFloatSubFormat);
        return (isFloat, wf.BitsPerSample) switch
        {
            (true, 32) => CaptureSampleFormat.Float32,
            (false, 16) => CaptureSampleFormat.Pcm16,
            (false, 24) => CaptureSampleFormat.Pcm24,
            (false, 32) => CaptureSampleFormat.Pcm32,
            _ => throw new CaptureDeviceException(CaptureFault.Failed, $"WASAPI mix format {wf} is not supported (expected 16/24/32-bit PCM or 32-bit float)."),
        };
    }

    private void OnDataAvailable(ReadOnlySpan<byte> buffer, AudioClientBufferFlags flags, long devicePosition, long qpcPosition)
    {
        // WASAPI marks muted or glitch packets "silent": their bytes are not meant to be played, so feed zeros instead.
        if ((flags & AudioClientBufferFlags.Silent) != 0)
        {
            _bridge?.OnSilence(buffer.Length);
        }
        else
        {
            _bridge?.OnData(buffer);
        }
    }

    private void OnRecordingStopped(object? sender, StoppedEventArgs e) => _bridge?.OnStopped(e.Exception);
}
