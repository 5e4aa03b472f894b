namespace WakeWord.Audio.Capture;

/// <summary>Timing of live capture: chunk (period) size, ring size, retry backoff. Validated by <see cref="Validate"/>.</summary>
public sealed record CaptureSettings
{
    /// <summary>The rate the shipped models take, and the default capture rate.</summary>
    public const int DefaultSampleRate = 16000;

    /// <summary>Capture sample rate, the models' (the service opens the microphone at the rate its models need); every backend delivers it.</summary>
    public int SampleRate { get; init; } = DefaultSampleRate;

    /// <summary>Audio per device read (the ALSA period, the PulseAudio fragment): the capture latency is about one chunk.</summary>
    public int ChunkMilliseconds { get; init; } = 20;

    /// <summary>Device buffer in chunks (ALSA buffer = this many periods): headroom for a late capture thread, not latency.</summary>
    public int DeviceBufferChunks { get; init; } = 10;

    /// <summary>Ring buffer between the capture thread and the reader; when the reader falls this far behind, audio is dropped and counted.</summary>
    public TimeSpan RingCapacity { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before reopening a lost device; doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A running device that delivers nothing for this long counts as lost (a stalled server or driver).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a device just opened may take to deliver its first audio before it counts as lost: the stall timeout plus
    /// 2 s. A PulseAudio sink that no stream asks for low latency renders 2 s ahead and sleeps (the null sink's
    /// BLOCK_USEC), so a stream that joins its monitor (a loopback or virtual microphone, the capture tests' server) hears
    /// nothing until that block ends: one that joined 33 ms after the last listener left still had no audio when the 2 s
    /// stall timeout ended it, and the reopen that followed heard at once.
    /// </summary>
    public TimeSpan FirstAudioTimeout => StallTimeout + TimeSpan.FromSeconds(2);

    /// <summary>At most one overrun/drop report per this interval, so a struggling machine does not flood the log.</summary>
    public TimeSpan OverrunLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    public int ChunkSamples => SampleRate * ChunkMilliseconds / 1000;

    /// <summary>Defaults for a chunk size, with the ring and the stall timeout widened to at least four chunks for long chunks.</summary>
    public static CaptureSettings ForChunk(int chunkMilliseconds, int sampleRate = DefaultSampleRate)
    {
        var fourChunks = TimeSpan.FromMilliseconds(4.0 * Math.Max(0, chunkMilliseconds));
        var defaults = new CaptureSettings();
        return new CaptureSettings
        {
            ChunkMilliseconds = chunkMilliseconds,
            SampleRate = sampleRate,
            RingCapacity = fourChunks > defaults.RingCapacity ? fourChunks : defaults.RingCapacity,
            StallTimeout = fourChunks > defaults.StallTimeout ? fourChunks : defaults.StallTimeout,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public CaptureSettings Validate()
    {
        if (SampleRate is < 8000 or > 48000)
        {
            throw new ArgumentException($"Capture sample rate must be 8000 to 48000 Hz, got {SampleRate} Hz.", nameof(SampleRate));
        }

        if (ChunkMilliseconds is < 5 or > 1000)
        {
            throw new ArgumentException($"Capture chunk must be between 5 and 1000 ms, got {ChunkMilliseconds} ms.", nameof(ChunkMilliseconds));
        }

        if (DeviceBufferChunks is < 2 or > 100)
        {
            throw new ArgumentException($"Device buffer must be 2 to 100 chunks, got {DeviceBufferChunks}.", nameof(DeviceBufferChunks));
        }

        if (RingCapacity < TimeSpan.FromMilliseconds(ChunkMilliseconds * 2) || RingCapacity > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"Ring capacity must hold at least two chunks and at most 60 s, got {RingCapacity.TotalSeconds} s.", nameof(RingCapacity));
        }

        if (InitialRetryDelay <= TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            throw new ArgumentException(
                $"Retry delays must be positive with the maximum not below the first, got {InitialRetryDelay.TotalSeconds} s and {MaxRetryDelay.TotalSeconds} s.",
                nameof(InitialRetryDelay));
        }

        if (StallTimeout < TimeSpan.FromMilliseconds(ChunkMilliseconds * 4))
        {
            throw new ArgumentException($"Stall timeout must be at least four chunks, got {StallTimeout.TotalMilliseconds} ms.", nameof(StallTimeout));
        }

        if (OverrunLogInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Overrun log interval must be positive, got {OverrunLogInterval}.", nameof(OverrunLogInterval));
        }

        return this;
    }
}
