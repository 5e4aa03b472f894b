using System.Diagnostics;

namespace WakeWord.Audio.Capture.Pulse;

/// <summary>
/// PulseAudio (or PipeWire's pulse server) capture: a mono s16le record stream at the settings' rate (16 kHz by
/// default) whose fragment size is one chunk, so the server hands audio over every chunk and the latency stays near one
/// chunk. The server is the usual one (PULSE_SERVER, the user's session); the device is a source name or the default.
/// </summary>
/// <remarks>
/// Why the asynchronous API and not pa_simple: pa_simple_read (and pa_simple_new) wait on the server with no timeout,
/// so a sound server that hangs (SIGSTOP, a wedged PipeWire) hung the capture thread for good and the service never
/// noticed. Here the capture thread drives a plain pa_mainloop itself, polling with the time left before the stall
/// timeout: no audio for that long while reading, or no answer for that long while opening, is a lost device, which
/// the owner closes (closing only drops the socket: it cannot block) and opens again with backoff. No second thread,
/// so nothing is left stuck in the library and no handle is freed under a blocked call.
/// </remarks>
public sealed class PulseCaptureDevice : ICaptureDevice
{
    private readonly string? _source;
    private readonly CaptureSettings _settings;
    private IntPtr _mainloop;
    private IntPtr _context;
    private IntPtr _stream;
    private IntPtr _fragment;       // the peeked fragment being copied out, zero when none
    private nuint _fragmentBytes;
    private nuint _fragmentOffset;
    private long _holes;
    private bool _heardAudio;       // since the stream opened: until then the wait is the first-audio timeout
    private long _latencyTicks;

    /// <param name="source">A source name as <c>pactl list short sources</c> prints it, or null/"default" for the default source.</param>
    public PulseCaptureDevice(string? source, CaptureSettings settings)
    {
        _source = string.IsNullOrWhiteSpace(source) || source == "default" ? null : source;
        _settings = settings.Validate();
    }

    public string Description => $"pulse:{_source ?? "default"}";

    /// <summary>Holes in the record stream: audio the server dropped before we read it (our ring counts its own).</summary>
    public long Overruns => Interlocked.Read(ref _holes);

    public TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    public void Open()
    {
        if (_mainloop != IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is already open.");
        }

        try
        {
            Connect();
        }
        catch (DllNotFoundException ex)
        {
            Close();
            throw new CaptureDeviceException(CaptureFault.Failed, "libpulse.so.0 is not installed (Debian/Ubuntu: apt-get install libpulse0).", ex);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public int Read(Span<float> destination)
    {
        if (_stream == IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is not open.");
        }

        // One chunk per read, as the fragment size asks of the server; the stall clock restarts with every fragment.
        int n = Math.Min(destination.Length, _settings.ChunkSamples);
        int filled = 0;
        long lastAudio = Stopwatch.GetTimestamp();
        while (filled < n)
        {
            if (_fragment == IntPtr.Zero && !NextFragment(lastAudio))
            {
                continue;
            }

            filled += CopyFromFragment(destination[filled..n]);
            _heardAudio = true;
            lastAudio = Stopwatch.GetTimestamp();
        }

        UpdateLatency();
        return n;
    }

    public void Dispose() => Close();

    private void Connect()
    {
        long start = Stopwatch.GetTimestamp();
        _mainloop = PulseNative.pa_mainloop_new();
        _context = PulseNative.pa_context_new(PulseNative.pa_mainloop_get_api(_mainloop), "wakeword");
        if (_context == IntPtr.Zero || PulseNative.pa_context_connect(_context, null, 0, IntPtr.Zero) < 0)
        {
            throw ContextFault("cannot connect to the PulseAudio server");
        }

        while (PulseNative.pa_context_get_state(_context) != PulseNative.ContextReady)
        {
            WaitForServer(start, "connecting");
        }

        var spec = new PulseNative.SampleSpec { Format = PulseNative.SampleS16Le, Rate = (uint)_settings.SampleRate, Channels = 1 };
        // fragsize = one chunk: the server sends a fragment per chunk. maxlength = the device buffer: beyond that the
        // server drops old audio rather than queueing seconds of it. -1 (uint.MaxValue): the server's default.
        uint chunkBytes = (uint)(_settings.ChunkSamples * sizeof(short));
        var attr = new PulseNative.BufferAttr
        {
            MaxLength = chunkBytes * (uint)_settings.DeviceBufferChunks,
            TLength = uint.MaxValue,
            PreBuf = uint.MaxValue,
            MinReq = uint.MaxValue,
            FragSize = chunkBytes,
        };
        _stream = PulseNative.pa_stream_new(_context, "wake word capture", spec, IntPtr.Zero);
        const int flags = PulseNative.StreamInterpolateTiming | PulseNative.StreamAutoTimingUpdate | PulseNative.StreamAdjustLatency;
        if (_stream == IntPtr.Zero || PulseNative.pa_stream_connect_record(_stream, _source, attr, flags) < 0)
        {
            throw ContextFault(RecordFrom());
        }

        while (PulseNative.pa_stream_get_state(_stream) != PulseNative.StreamReady)
        {
            WaitForServer(start, "opening the record stream");
        }

        UpdateLatency();
    }

    /// <summary>One main-loop iteration while opening; throws when the context or stream failed or the server is too slow.</summary>
    private void WaitForServer(long start, string doing)
    {
        TimeSpan left = _settings.StallTimeout - Stopwatch.GetElapsedTime(start);
        if (left <= TimeSpan.Zero)
        {
            throw new CaptureDeviceException(CaptureFault.Lost,
                $"the PulseAudio server did not answer within {_settings.StallTimeout.TotalSeconds:F1} s while {doing} (is it stopped or hung?).");
        }

        Iterate(left);
        if (PulseNative.pa_context_get_state(_context) is PulseNative.ContextFailed or PulseNative.ContextTerminated)
        {
            throw ContextFault("cannot connect to the PulseAudio server");
        }

        if (_stream != IntPtr.Zero && PulseNative.pa_stream_get_state(_stream) is PulseNative.StreamFailed or PulseNative.StreamTerminated)
        {
            throw ContextFault(RecordFrom());
        }
    }

    /// <summary>Peeks the next fragment, or waits for one; false when there is none yet (call again).</summary>
    private bool NextFragment(long lastAudio)
    {
        nuint readable = PulseNative.pa_stream_readable_size(_stream);
        if (readable == nuint.MaxValue)
        {
            throw Lost();
        }

        if (readable == 0)
        {
            TimeSpan quiet = Stopwatch.GetElapsedTime(lastAudio);
            TimeSpan limit = _heardAudio ? _settings.StallTimeout : _settings.FirstAudioTimeout;
            if (quiet >= limit)
            {
                throw new CaptureDeviceException(CaptureFault.Lost,
                    $"PulseAudio source of {Description} delivered no audio for {limit.TotalSeconds:F1} s (the sound server may be stopped or hung).");
            }

            Iterate(limit - quiet);
            if (PulseNative.pa_stream_get_state(_stream) != PulseNative.StreamReady)
            {
                throw Lost();
            }

            return false;
        }

        if (PulseNative.pa_stream_peek(_stream, out IntPtr data, out nuint bytes) < 0)
        {
            throw Lost();
        }

        if (bytes == 0)
        {
            return false;
        }

        if (data == IntPtr.Zero)
        {
            // A hole: the server lost audio before we read it. Skip it, count it.
            Interlocked.Increment(ref _holes);
            _ = PulseNative.pa_stream_drop(_stream);
            return false;
        }

        _fragment = data;
        _fragmentBytes = bytes;
        _fragmentOffset = 0;
        return true;
    }

    private unsafe int CopyFromFragment(Span<float> destination)
    {
        int available = (int)((_fragmentBytes - _fragmentOffset) / sizeof(short));
        int count = Math.Min(available, destination.Length);
        var samples = new ReadOnlySpan<short>((byte*)_fragment + _fragmentOffset, count);
        for (int i = 0; i < count; i++)
        {
            destination[i] = samples[i] / 32768f;
        }

        _fragmentOffset += (nuint)(count * sizeof(short));
        if (_fragmentBytes - _fragmentOffset < sizeof(short))
        {
            // Whole fragment copied (frames are two bytes; the server never splits one).
            _fragment = IntPtr.Zero;
            _ = PulseNative.pa_stream_drop(_stream);
        }

        return count;
    }

    /// <summary>Polls the server's socket for at most <paramref name="timeout"/> and runs what arrived.</summary>
    private void Iterate(TimeSpan timeout)
    {
        int usec = (int)Math.Clamp(timeout.TotalMicroseconds, 1000, int.MaxValue);
        if (PulseNative.pa_mainloop_prepare(_mainloop, usec) < 0 || PulseNative.pa_mainloop_poll(_mainloop) < 0 || PulseNative.pa_mainloop_dispatch(_mainloop) < 0)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, $"the PulseAudio main loop of {Description} failed.");
        }
    }

    private string RecordFrom() => _source is null ? "cannot record from the default PulseAudio source" : $"cannot record from PulseAudio source '{_source}'";

    private CaptureDeviceException ContextFault(string what)
    {
        int error = PulseNative.pa_context_errno(_context);
        CaptureFault fault = error switch
        {
            PulseNative.ErrBusy => CaptureFault.Busy,
            PulseNative.ErrNoEntity or PulseNative.ErrConnectionRefused => CaptureFault.NotFound,
            _ => CaptureFault.Failed,
        };
        return new CaptureDeviceException(fault, $"{what}: {PulseNative.Error(error)}.");
    }

    private CaptureDeviceException Lost()
    {
        int error = PulseNative.pa_context_errno(_context);
        string why = error == 0 ? "the server ended the record stream" : PulseNative.Error(error);
        return new CaptureDeviceException(CaptureFault.Lost, $"PulseAudio capture from {Description} failed: {why}.");
    }

    private void UpdateLatency()
    {
        if (PulseNative.pa_stream_get_latency(_stream, out ulong usec, out int negative) == 0)
        {
            Interlocked.Exchange(ref _latencyTicks, negative != 0 ? 0 : (long)usec * 10);
        }
    }

    private void Close()
    {
        // Disconnecting only closes the socket: it returns at once even when the server is stopped.
        _fragment = IntPtr.Zero;
        _heardAudio = false;
        if (_stream != IntPtr.Zero)
        {
            _ = PulseNative.pa_stream_disconnect(_stream);
            PulseNative.pa_stream_unref(_stream);
            _stream = IntPtr.Zero;
        }

        if (_context != IntPtr.Zero)
        {
            PulseNative.pa_context_disconnect(_context);
            PulseNative.pa_context_unref(_context);
            _context = IntPtr.Zero;
        }

        if (_mainloop != IntPtr.Zero)
        {
            PulseNative.pa_mainloop_free(_mainloop);
            _mainloop = IntPtr.Zero;
        }
    }
}
