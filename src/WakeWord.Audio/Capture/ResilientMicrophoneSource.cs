using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using WakeWord.Core.Audio;

namespace WakeWord.Audio.Capture;

/// <summary>
/// A microphone that never ends on a device fault. A dedicated capture thread opens a device from the factory, reads
/// chunks into a bounded <see cref="FloatRingBuffer"/> and, when the device is missing, busy or lost, publishes
/// <see cref="AudioSourceStatusKind.DeviceLost"/>, waits with exponential backoff and opens it again
/// (<see cref="AudioSourceStatusKind.DeviceBack"/>). <see cref="Read"/> just blocks on the ring meanwhile, so the
/// detector downstream needs no special case for an absent microphone.
/// </summary>
public sealed class ResilientMicrophoneSource : ILiveAudioSource
{
    private readonly Func<ICaptureDevice> _deviceFactory;
    private readonly CaptureSettings _settings;
    private readonly ILogger _logger;
    private readonly FloatRingBuffer _ring;
    private readonly float[] _chunk;
    // Replays the latest status, so a subscriber that arrives after the capture thread started still learns the state.
    private readonly ReplaySubject<AudioSourceStatus> _status = new(1);
    private readonly ManualResetEventSlim _stopRequested = new(false);
    private readonly CancellationTokenSource _stopping = new(); // cancelled with _stopRequested: ends a retry wait
    private readonly TimeProvider _time;
    private readonly Lock _startLock = new();
    private Thread? _thread;
    private long _deviceOverruns;   // device overruns of devices already closed
    private ICaptureDevice? _current; // only the capture thread writes it
    private int _disposed;

    /// <param name="deviceFactory">Makes a new, unopened device for each attempt.</param>
    /// <param name="description">What to call the microphone in logs, e.g. "alsa:default".</param>
    /// <param name="time">The clock of retry waits, outage lengths and overrun reports (tests use a fake one).</param>
    public ResilientMicrophoneSource(Func<ICaptureDevice> deviceFactory, string description, CaptureSettings settings, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(deviceFactory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        _deviceFactory = deviceFactory;
        Description = description;
        _settings = settings.Validate();
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _ring = new FloatRingBuffer((int)(settings.SampleRate * settings.RingCapacity.TotalSeconds));
        _chunk = new float[settings.ChunkSamples];
    }

    public int SampleRate => _settings.SampleRate;

    public string Description { get; }

    public IObservable<AudioSourceStatus> Status => _status.AsObservable();

    public long DroppedSamples => _ring.DroppedSamples;

    public long Overruns => _ring.Overruns + Interlocked.Read(ref _deviceOverruns) + (Volatile.Read(ref _current)?.Overruns ?? 0);

    /// <summary>Samples captured but not read yet: a backlog that keeps growing means the reader is slower than real time.</summary>
    public int BufferedSamples => _ring.Count;

    /// <summary>Latency the open device reports (zero while no device is open).</summary>
    public TimeSpan DeviceLatency => Volatile.Read(ref _current)?.Latency ?? TimeSpan.Zero;

    /// <summary>Starts the capture thread (idempotent). <see cref="Read"/> starts it too.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(!TryStart(), this);
    }

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        // A read that loses a race with Dispose is the end of the stream, like one that was already waiting.
        if (!TryStart())
        {
            return 0;
        }

        // Blocks while the device is away; returns 0 only once disposed (the ring is completed then).
        return _ring.Read(destination, Timeout.InfiniteTimeSpan, cancellationToken);
    }

    private bool TryStart()
    {
        lock (_startLock)
        {
            // Checked under the lock that Dispose takes, so no thread starts after Dispose has looked for one.
            if (Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }

            if (_thread is not null)
            {
                return true;
            }

            _thread = new Thread(CaptureLoop)
            {
                IsBackground = true,
                Name = "wakeword-capture",
                // Capture must not starve behind the detector or the GC's workers: an late read is an overrun.
                Priority = ThreadPriority.AboveNormal,
            };
            _thread.Start();
            return true;
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_startLock)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            thread = _thread;
        }

        _stopRequested.Set();
        _stopping.Cancel();

        // A device read returns within a period or the stall timeout; do not hang the host's shutdown beyond that.
        thread?.Join(_settings.StallTimeout + TimeSpan.FromSeconds(1));
        _ring.Complete();
        _status.OnCompleted();
        _status.Dispose();
    }

    private void CaptureLoop()
    {
        TimeSpan delay = _settings.InitialRetryDelay;
        int attempt = 0;
        bool everOpened = false;
        long lostAt = 0; // _time timestamp of the current outage, 0 while none
        while (!_stopRequested.IsSet)
        {
            ICaptureDevice? device = null;
            try
            {
                device = _deviceFactory();
                device.Open();
                Volatile.Write(ref _current, device);
                double latencyMs = device.Latency.TotalMilliseconds;
                if (!everOpened)
                {
                    everOpened = true;
                    CaptureLog.Listening(_logger, Description, latencyMs);
                    Publish(AudioSourceStatusKind.Listening, $"Microphone {Description} is listening.");
                }
                else
                {
                    double outage = _time.GetElapsedTime(lostAt).TotalSeconds;
                    CaptureLog.DeviceBack(_logger, Description, outage, latencyMs);
                    Publish(AudioSourceStatusKind.DeviceBack, $"Microphone {Description} is back after {outage:F1} s.");
                }

                lostAt = 0;
                attempt = 0;
                delay = _settings.InitialRetryDelay;
                Pump(device);
            }
            catch (CaptureDeviceException ex)
            {
                if (_stopRequested.IsSet)
                {
                    break;
                }

                OnFault(ex.Fault, ex.Message, ref lostAt, ref attempt, ref delay, everOpened);
            }
            catch (Exception ex)
            {
                // Never let a surprise (a native library missing, a bug in a backend) kill the capture thread: log it and retry.
                if (_stopRequested.IsSet)
                {
                    break;
                }

                CaptureLog.UnexpectedError(_logger, Description, ex);
                OnFault(CaptureFault.Failed, ex.Message, ref lostAt, ref attempt, ref delay, everOpened);
            }
            finally
            {
                if (device is not null)
                {
                    Volatile.Write(ref _current, null);
                    Interlocked.Add(ref _deviceOverruns, device.Overruns);
                    DisposeQuietly(device);
                }
            }

            if (lostAt != 0)
            {
                WaitForRetry(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxRetryDelay.Ticks));
            }
        }

        CaptureLog.Stopped(_logger, Description);
    }

    /// <summary>Waits <paramref name="delay"/> on the injected clock, or less when the source is disposed meanwhile.</summary>
    private void WaitForRetry(TimeSpan delay)
    {
        try
        {
            Task.Delay(delay, _time, _stopping.Token).Wait();
        }
        catch (AggregateException ex) when (ex.InnerException is TaskCanceledException)
        {
            // Disposed while waiting.
        }
    }

    private void OnFault(CaptureFault fault, string reason, ref long lostAt, ref int attempt, ref TimeSpan delay, bool everOpened)
    {
        attempt++;
        CaptureLog.DeviceUnavailable(_logger, Description, fault, reason, attempt, delay.TotalSeconds);
        if (lostAt == 0)
        {
            lostAt = _time.GetTimestamp();
            // Published once per outage, not per retry: subscribers want the transition, the log has the attempts. A
            // device that never opened was not lost: it is missing, and its first open is then "listening".
            if (everOpened)
            {
                Publish(AudioSourceStatusKind.DeviceLost, $"Microphone {Description} is unavailable ({fault}): {reason} Retrying with backoff.");
            }
            else
            {
                Publish(AudioSourceStatusKind.DeviceMissing, $"Microphone {Description} is not there yet ({fault}): {reason} Waiting for it, retrying with backoff.");
            }
        }
    }

    private void Pump(ICaptureDevice device)
    {
        long lastReport = _time.GetTimestamp();
        long reportedOverruns = Overruns;
        long reportedDropped = DroppedSamples;
        while (!_stopRequested.IsSet)
        {
            int n = device.Read(_chunk);
            if (n > 0)
            {
                _ring.Write(_chunk.AsSpan(0, n));
            }

            if (_time.GetElapsedTime(lastReport) >= _settings.OverrunLogInterval)
            {
                long overruns = Overruns;
                long dropped = DroppedSamples;
                if (overruns != reportedOverruns || dropped != reportedDropped)
                {
                    CaptureLog.Overruns(_logger, Description, overruns - reportedOverruns, dropped - reportedDropped, _time.GetElapsedTime(lastReport).TotalSeconds);
                    reportedOverruns = overruns;
                    reportedDropped = dropped;
                }

                lastReport = _time.GetTimestamp();
            }
        }
    }

    private void Publish(AudioSourceStatusKind kind, string message)
    {
        try
        {
            _status.OnNext(new AudioSourceStatus(kind, message, DateTimeOffset.UtcNow));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A subscriber that throws must not take the microphone down with it.
            CaptureLog.UnexpectedError(_logger, Description, ex);
        }
    }

    private void DisposeQuietly(ICaptureDevice device)
    {
        try
        {
            device.Dispose();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            CaptureLog.UnexpectedError(_logger, Description, ex);
        }
    }
}
