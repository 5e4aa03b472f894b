using System.Globalization;
using Microsoft.Extensions.Logging;
using WakeWord.Core.Audio;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;
using WakeWord.Service.Metrics;
using WakeWord.Service.Options;
using WakeWord.Service.Systemd;

namespace WakeWord.Service.Worker;

/// <summary>
/// The audio thread: reads the source chunk by chunk and runs each chunk through the <see cref="ModelSetHost"/>'s
/// running set, until the input ends, the source fails or the host stops. Owns the source. Says "Listening" only once
/// there is audio: a file or stdin at once, a microphone when it reports that it opened (never while there is none).
/// </summary>
public sealed class AudioLoop : IDisposable
{
    private readonly IAudioSource _source;
    private readonly ModelSetHost _models;
    private readonly AudioOptions _options;
    private readonly ServiceHub _hub;
    private readonly AudioLoopHealth _health;
    private readonly ServiceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Action<int> _stop;
    private readonly TaskCompletionSource _firstState = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable? _statusSubscription;
    private Thread? _thread;

    /// <param name="stop">Stops the host with this exit code (end of input with Audio:ExitAtEnd, a failed source).</param>
    public AudioLoop(IAudioSource source, ModelSetHost models, AudioOptions options, ServiceHub hub, AudioLoopHealth health,
        ServiceMetrics metrics, ILogger logger, Action<int> stop)
    {
        _source = source;
        _models = models;
        _options = options;
        _hub = hub;
        _health = health;
        _metrics = metrics;
        _logger = logger;
        _stop = stop;
        if (source is ILiveAudioSource live)
        {
            _statusSubscription = live.Status.Subscribe(OnSourceStatus);
            metrics.ObserveSource(live);
        }
    }

    /// <summary>Completes once the service listens, waits for its microphone (logged as such), or the loop has ended.</summary>
    public Task FirstState => _firstState.Task;

    /// <summary>Completes when the audio thread has returned.</summary>
    public Task Finished => _finished.Task;

    public void Start(CancellationToken stoppingToken)
    {
        _thread = new Thread(() =>
        {
            Run(stoppingToken);
            _finished.SetResult();
        })
        {
            // A read blocked on stdin must not keep the process alive after the host has stopped.
            IsBackground = true,
            Name = "wakeword-audio",
        };
        _thread.Start();
    }

    /// <summary>Waits for the audio thread; false when it is still blocked in a read after <paramref name="timeout"/>.</summary>
    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    public bool IsRunning => _thread is { IsAlive: true };

    public void Dispose()
    {
        _statusSubscription?.Dispose();
        _source.Dispose();
    }

    private void Run(CancellationToken stoppingToken)
    {
        float[] buffer = new float[Math.Max(1, _source.SampleRate * _options.ChunkMilliseconds / 1000)];
        try
        {
            if (_source is ILiveAudioSource)
            {
                ServiceLog.WaitingForMicrophone(_logger, _source.Description, _models.Describe());
            }
            else
            {
                ServiceLog.Listening(_logger, _source.Description, _models.Describe());
                _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, $"listening on {_source.Description}", DateTimeOffset.UtcNow));
                _firstState.TrySetResult();
            }

            while (true)
            {
                int read = _source.Read(buffer, stoppingToken);
                _health.ChunkStarted();
                if (read == 0)
                {
                    EndOfInput();
                    return;
                }

                _models.Process(buffer.AsSpan(0, read));
                _metrics.ChunkProcessed(read, _source.SampleRate, _health.ChunkDone());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (AudioSourceException ex)
        {
            ServiceLog.AudioFailed(_logger, ex.Message);
            _stop(ServiceExitCode.Audio);
        }
        catch (Exception ex)
        {
            ServiceLog.LoopCrashed(_logger, ex);
            _stop(ServiceExitCode.Unexpected);
        }
        finally
        {
            _health.ChunkDone();
            _firstState.TrySetResult();
        }
    }

    private void EndOfInput()
    {
        double seconds = (double)_models.SamplesProcessed / _source.SampleRate;
        // `wakeword status` and pipe subscribers must not go on saying "listening" about an input that has ended.
        _hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Ended,
            string.Create(CultureInfo.InvariantCulture, $"end of input from {_source.Description} after {seconds:F2} s of audio"), DateTimeOffset.UtcNow));

        if (_options.ExitAtEnd)
        {
            ServiceLog.EndOfInput(_logger, _source.Description, seconds, "stopping (Audio:ExitAtEnd is true)");
            _stop(ServiceExitCode.Ok);
        }
        else
        {
            ServiceLog.EndOfInput(_logger, _source.Description, seconds, "the service stays up, idle (set Audio:ExitAtEnd=true to stop instead)");
        }
    }

    private void OnSourceStatus(AudioSourceStatus status)
    {
        // Only a live source promises a chunk every ~100 ms: a file or stdin source that says "listening" (the hub
        // carries that too) may go quiet for good, and the watchdog would kill such a service 30 s after its input ended.
        _health.ExpectAudio(status.IsListening);
        ServiceLog.SourceStatus(_logger, status.Kind.ToString(), status.Message);
        if (status.IsListening)
        {
            ServiceLog.Listening(_logger, _source.Description, _models.Describe());
        }

        _hub.Publish(status);
        _firstState.TrySetResult();
    }
}
