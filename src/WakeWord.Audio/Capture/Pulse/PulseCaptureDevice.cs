namespace WakeWord.Audio.Capture.Pulse;

/// <summary>
/// PulseAudio (or PipeWire's pulse server) capture through libpulse-simple: a mono s16le record stream at the settings' rate (16 kHz by default) whose
/// fragment size is one chunk, so the server hands audio over every chunk and the latency stays near one chunk.
/// The server is the usual one (PULSE_SERVER, the user's session); the device is a source name or the default.
/// </summary>
public sealed class PulseCaptureDevice : ICaptureDevice
{
    private readonly string? _source;
    private readonly CaptureSettings _settings;
    private readonly short[] _pcm;
    private IntPtr _simple;
    private long _latencyTicks;

    /// <param name="source">A source name as <c>pactl list short sources</c> prints it, or null/"default" for the default source.</param>
    public PulseCaptureDevice(string? source, CaptureSettings settings)
    {
        _source = string.IsNullOrWhiteSpace(source) || source == "default" ? null : source;
        _settings = settings.Validate();
        _pcm = new short[settings.ChunkSamples];
    }

    public string Description => $"pulse:{_source ?? "default"}";

    /// <summary>The simple API hides server-side overruns; the ring buffer downstream counts ours.</summary>
    public long Overruns => 0;

    public TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    public void Open()
    {
        if (_simple != IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is already open.");
        }

        var spec = new PulseSimpleNative.SampleSpec { Format = PulseSimpleNative.SampleS16Le, Rate = (uint)_settings.SampleRate, Channels = 1 };
        // fragsize = one chunk: the server sends a fragment per chunk (PA_STREAM_ADJUST_LATENCY is set by pa_simple).
        // maxlength = the device buffer: beyond that the server drops old audio rather than queueing seconds of it.
        uint chunkBytes = (uint)(_settings.ChunkSamples * sizeof(short));
        var attr = new PulseSimpleNative.BufferAttr
        {
            MaxLength = chunkBytes * (uint)_settings.DeviceBufferChunks,
            TLength = uint.MaxValue,
            PreBuf = uint.MaxValue,
            MinReq = uint.MaxValue,
            FragSize = chunkBytes,
        };
        int error;
        try
        {
            _simple = PulseSimpleNative.pa_simple_new(null, "wakeword", PulseSimpleNative.StreamRecord, _source, "wake word capture", spec, IntPtr.Zero, attr, out error);
        }
        catch (DllNotFoundException ex)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, "libpulse-simple.so.0 is not installed (Debian/Ubuntu: apt-get install libpulse0).", ex);
        }

        if (_simple == IntPtr.Zero)
        {
            CaptureFault fault = error switch
            {
                PulseSimpleNative.ErrBusy => CaptureFault.Busy,
                PulseSimpleNative.ErrNoEntity or PulseSimpleNative.ErrConnectionRefused => CaptureFault.NotFound,
                _ => CaptureFault.Failed,
            };
            string what = _source is null ? "the default PulseAudio source" : $"PulseAudio source '{_source}'";
            throw new CaptureDeviceException(fault, $"cannot record from {what}: {PulseSimpleNative.Error(error)}.");
        }

        UpdateLatency();
    }

    public int Read(Span<float> destination)
    {
        if (_simple == IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is not open.");
        }

        int n = Math.Min(destination.Length, _pcm.Length);
        // Blocks until n samples arrived (one chunk); fails at once when the server goes away.
        if (PulseSimpleNative.pa_simple_read(_simple, _pcm, (nuint)(n * sizeof(short)), out int error) < 0)
        {
            throw new CaptureDeviceException(CaptureFault.Lost, $"PulseAudio capture from {Description} failed: {PulseSimpleNative.Error(error)}.");
        }

        for (int i = 0; i < n; i++)
        {
            destination[i] = _pcm[i] / 32768f;
        }

        UpdateLatency();
        return n;
    }

    public void Dispose()
    {
        if (_simple != IntPtr.Zero)
        {
            PulseSimpleNative.pa_simple_free(_simple);
            _simple = IntPtr.Zero;
        }
    }

    private void UpdateLatency()
    {
        ulong usec = PulseSimpleNative.pa_simple_get_latency(_simple, out _);
        if (usec != ulong.MaxValue)
        {
            Interlocked.Exchange(ref _latencyTicks, (long)usec * 10);
        }
    }
}
