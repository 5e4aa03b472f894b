namespace WakeWord.Audio.Capture.Alsa;

/// <summary>
/// ALSA capture through libasound: S16_LE, mono, at the settings' rate (16 kHz by default; ALSA's plug layer converts when the hardware cannot), read
/// with <c>snd_pcm_readi</c> one period at a time. Capture latency is about one period (the driver hands data over per
/// period); the buffer of several periods is headroom for a late capture thread, after which ALSA reports an overrun
/// (-EPIPE), which is counted and recovered with <c>snd_pcm_prepare</c>.
/// </summary>
public sealed class AlsaCaptureDevice : ICaptureDevice
{
    private readonly string _deviceName;
    private readonly CaptureSettings _settings;
    private IntPtr _pcm;
    private short[] _pcmBuffer = [];
    private int _periodFrames;
    private long _overruns;
    private long _latencyTicks;
    private bool _heardAudio; // since the device opened: until then the wait is the first-audio timeout

    /// <param name="deviceName">As ALSA spells it: "default", "pulse", "hw:1,0", "plughw:1,0", "sysdefault:CARD=...".</param>
    public AlsaCaptureDevice(string deviceName, CaptureSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        _deviceName = deviceName;
        _settings = settings.Validate();
    }

    public string Description => $"alsa:{_deviceName}";

    public long Overruns => Interlocked.Read(ref _overruns);

    public TimeSpan Latency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    /// <summary>Period the device granted, in frames (valid after <see cref="Open"/>).</summary>
    public int PeriodFrames => _periodFrames;

    /// <summary>Buffer the device granted, in frames (valid after <see cref="Open"/>).</summary>
    public int BufferFrames { get; private set; }

    public void Open()
    {
        if (_pcm != IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is already open.");
        }

        int err;
        try
        {
            AlsaNative.SilenceLibraryMessages();
            err = AlsaNative.snd_pcm_open(out _pcm, _deviceName, AlsaNative.StreamCapture, 0);
        }
        catch (DllNotFoundException ex)
        {
            throw new CaptureDeviceException(CaptureFault.Failed, "libasound.so.2 is not installed (Debian/Ubuntu: apt-get install libasound2).", ex);
        }

        if (err < 0)
        {
            _pcm = IntPtr.Zero;
            CaptureFault fault = -err == AlsaNative.EBUSY ? CaptureFault.Busy : CaptureFault.NotFound;
            throw new CaptureDeviceException(fault, $"cannot open ALSA capture device '{_deviceName}': {AlsaNative.Error(err)}.");
        }

        try
        {
            Configure();
            Check(AlsaNative.snd_pcm_prepare(_pcm), "prepare");
            Check(AlsaNative.snd_pcm_start(_pcm), "start");
        }
        catch
        {
            Close();
            throw;
        }
    }

    public int Read(Span<float> destination)
    {
        if (_pcm == IntPtr.Zero)
        {
            throw new InvalidOperationException($"{Description} is not open.");
        }

        int frames = Math.Min(destination.Length, _pcmBuffer.Length);
        // Wait with a timeout instead of blocking in readi forever, so a stalled device is noticed and retried.
        TimeSpan limit = _heardAudio ? _settings.StallTimeout : _settings.FirstAudioTimeout; // ALSA's "pulse" device is a PulseAudio stream
        int ready = AlsaNative.snd_pcm_wait(_pcm, (int)limit.TotalMilliseconds);
        if (ready == 0)
        {
            throw new CaptureDeviceException(CaptureFault.Lost, $"ALSA device '{_deviceName}' delivered no audio for {limit.TotalSeconds:F1} s.");
        }

        if (ready < 0)
        {
            return Recover(ready);
        }

        nint got = AlsaNative.snd_pcm_readi(_pcm, _pcmBuffer, (nuint)frames);
        if (got < 0)
        {
            return Recover((int)got);
        }

        int n = (int)got;
        _heardAudio |= n > 0;
        for (int i = 0; i < n; i++)
        {
            destination[i] = _pcmBuffer[i] / 32768f;
        }

        if (AlsaNative.snd_pcm_delay(_pcm, out nint delay) == 0)
        {
            Interlocked.Exchange(ref _latencyTicks, FramesToTicks(delay + _periodFrames));
        }

        return n;
    }

    public void Dispose() => Close();

    private int Recover(int err)
    {
        switch (-err)
        {
            case AlsaNative.EAGAIN:
                return 0;
            case AlsaNative.EPIPE:
            case AlsaNative.ESTRPIPE:
                // Overrun: the buffer filled before we read it. Count it, restart the stream, carry on.
                Interlocked.Increment(ref _overruns);
                int prep = AlsaNative.snd_pcm_prepare(_pcm);
                if (prep < 0)
                {
                    throw new CaptureDeviceException(CaptureFault.Lost, $"ALSA device '{_deviceName}' could not recover from an overrun: {AlsaNative.Error(prep)}.");
                }

                _ = AlsaNative.snd_pcm_start(_pcm);
                return 0;
            default:
                // -ENODEV (unplugged), -EIO, -EBADFD and the rest: the stream is gone; the owner reopens it.
                throw new CaptureDeviceException(CaptureFault.Lost, $"ALSA device '{_deviceName}' failed while capturing: {AlsaNative.Error(err)}.");
        }
    }

    private void Configure()
    {
        Check(AlsaNative.snd_pcm_hw_params_malloc(out IntPtr hw), "allocate hw params");
        try
        {
            Check(AlsaNative.snd_pcm_hw_params_any(_pcm, hw), "read hw params");
            // Let ALSA's plug layer resample when the hardware lacks the models' rate.
            _ = AlsaNative.snd_pcm_hw_params_set_rate_resample(_pcm, hw, 1);
            Check(AlsaNative.snd_pcm_hw_params_set_access(_pcm, hw, AlsaNative.AccessRwInterleaved), "set interleaved access");
            Check(AlsaNative.snd_pcm_hw_params_set_format(_pcm, hw, AlsaNative.FormatS16Le), "set format S16_LE (try the plughw: or default device)");
            Check(AlsaNative.snd_pcm_hw_params_set_channels(_pcm, hw, 1), "set 1 channel (try the plughw: or default device)");
            uint rate = (uint)_settings.SampleRate;
            int dir = 0;
            Check(AlsaNative.snd_pcm_hw_params_set_rate_near(_pcm, hw, ref rate, ref dir), $"set rate {_settings.SampleRate} Hz");
            if (rate != _settings.SampleRate)
            {
                throw new CaptureDeviceException(CaptureFault.Failed, $"ALSA device '{_deviceName}' offers {rate} Hz, not {_settings.SampleRate} Hz; use the plughw: or default device, which resample.");
            }

            nuint period = (nuint)_settings.ChunkSamples;
            dir = 0;
            Check(AlsaNative.snd_pcm_hw_params_set_period_size_near(_pcm, hw, ref period, ref dir), "set period size");
            nuint buffer = period * (nuint)_settings.DeviceBufferChunks;
            Check(AlsaNative.snd_pcm_hw_params_set_buffer_size_near(_pcm, hw, ref buffer), "set buffer size");
            Check(AlsaNative.snd_pcm_hw_params(_pcm, hw), "apply hw params");
            Check(AlsaNative.snd_pcm_hw_params_get_period_size(hw, out period, out _), "read period size");
            Check(AlsaNative.snd_pcm_hw_params_get_buffer_size(hw, out buffer), "read buffer size");
            _periodFrames = (int)period;
            BufferFrames = (int)buffer;
        }
        finally
        {
            AlsaNative.snd_pcm_hw_params_free(hw);
        }

        Check(AlsaNative.snd_pcm_sw_params_malloc(out IntPtr sw), "allocate sw params");
        try
        {
            Check(AlsaNative.snd_pcm_sw_params_current(_pcm, sw), "read sw params");
            // Wake the reader once per period, not per sample.
            Check(AlsaNative.snd_pcm_sw_params_set_avail_min(_pcm, sw, (nuint)_periodFrames), "set avail_min");
            Check(AlsaNative.snd_pcm_sw_params(_pcm, sw), "apply sw params");
        }
        finally
        {
            AlsaNative.snd_pcm_sw_params_free(sw);
        }

        // One period per read; the chunk size the owner asks for is normally the same.
        _pcmBuffer = new short[Math.Max(_periodFrames, _settings.ChunkSamples)];
        Interlocked.Exchange(ref _latencyTicks, FramesToTicks(_periodFrames));
    }

    private void Check(int err, string step)
    {
        if (err < 0)
        {
            CaptureFault fault = -err is AlsaNative.ENODEV or AlsaNative.EIO or AlsaNative.ENXIO ? CaptureFault.Lost : CaptureFault.Failed;
            throw new CaptureDeviceException(fault, $"ALSA device '{_deviceName}': cannot {step}: {AlsaNative.Error(err)}.");
        }
    }

    private long FramesToTicks(long frames) => frames * TimeSpan.TicksPerSecond / _settings.SampleRate;

    private void Close()
    {
        if (_pcm != IntPtr.Zero)
        {
            _ = AlsaNative.snd_pcm_close(_pcm);
            _pcm = IntPtr.Zero;
            _heardAudio = false;
        }
    }
}
