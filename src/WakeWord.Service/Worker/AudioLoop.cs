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
    private readonly IAudioSource source;
    private readonly ModelSetHost models;
    private readonly AudioOptions options;
    private readonly WakeEventHub hub;
    private readonly AudioLoopHealth health;
    private readonly ServiceMetrics metrics;
    private readonly ILogger logger;
    private readonly Action<int> stop;
    private readonly TaskCompletionSource firstState = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable? statusSubscription;
    private Thread? thread;

    /// <param name="stop">Stops the host with this exit code (end of input with Audio:ExitAtEnd, a failed source).</param>
    public AudioLoop(IAudioSource source, ModelSetHost models, AudioOptions options, WakeEventHub hub, AudioLoopHealth health,
        ServiceMetrics metrics, ILogger logger, Action<int> stop)
    {
        this.source = source;
        this.models = models;
        this.options = options;
        this.hub = hub;
        this.health = health;
        this.metrics = metrics;
        this.logger = logger;
        this.stop = stop;
        if (source is ILiveAudioSource live)
        {
            statusSubscription = live.Status.Subscribe(OnSourceStatus);
            metrics.ObserveSource(live);
        }
    }

    /// <summary>Completes once the service listens, waits for its microphone (logged as such), or the loop has ended.</summary>
    public Task FirstState => firstState.Task;

    /// <summary>Completes when the audio thread has returned.</summary>
    public Task Finished => finished.Task;

    public void Start(CancellationToken stoppingToken)
    {
        thread = new Thread(() =>
        {
            Run(stoppingToken);
            finished.SetResult();
        })
        {
            // A read blocked on stdin must not keep the process alive after the host has stopped.
            IsBackground = true,
            Name = "wakeword-audio",
        };
        thread.Start();
    }

    /// <summary>Waits for the audio thread; false when it is still blocked in a read after <paramref name="timeout"/>.</summary>
    public bool Join(TimeSpan timeout) => thread is null || thread.Join(timeout);

    public bool IsRunning => thread is { IsAlive: true };

    public void Dispose()
    {
        statusSubscription?.Dispose();
        source.Dispose();
    }

    private void Run(CancellationToken stoppingToken)
    {
        var buffer = new float[Math.Max(1, source.SampleRate * options.ChunkMilliseconds / 1000)];
        try
        {
            if (source is ILiveAudioSource)
            {
                ServiceLog.WaitingForMicrophone(logger, source.Description, models.Describe());
            }
            else
            {
                ServiceLog.Listening(logger, source.Description, models.Describe());
                hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, $"listening on {source.Description}", DateTimeOffset.UtcNow));
                firstState.TrySetResult();
            }

            while (true)
            {
                int read = source.Read(buffer, stoppingToken);
                health.ChunkStarted();
                if (read == 0)
                {
                    EndOfInput();
                    return;
                }

                models.Process(buffer.AsSpan(0, read));
                metrics.ChunkProcessed(read, source.SampleRate, health.ChunkDone());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (AudioSourceException ex)
        {
            ServiceLog.AudioFailed(logger, ex.Message);
            stop(ServiceExitCode.Audio);
        }
        catch (Exception ex)
        {
            ServiceLog.LoopCrashed(logger, ex);
            stop(ServiceExitCode.Unexpected);
        }
        finally
        {
            health.ChunkDone();
            firstState.TrySetResult();
        }
    }

    private void EndOfInput()
    {
        double seconds = (double)models.SamplesProcessed / source.SampleRate;
        if (options.ExitAtEnd)
        {
            ServiceLog.EndOfInput(logger, source.Description, seconds, "stopping (Audio:ExitAtEnd is true)");
            stop(ServiceExitCode.Ok);
        }
        else
        {
            ServiceLog.EndOfInput(logger, source.Description, seconds, "the service stays up, idle (set Audio:ExitAtEnd=true to stop instead)");
        }
    }

    private void OnSourceStatus(AudioSourceStatus status)
    {
        ServiceLog.SourceStatus(logger, status.Kind.ToString(), status.Message);
        if (status.IsListening)
        {
            ServiceLog.Listening(logger, source.Description, models.Describe());
        }

        try
        {
            hub.Publish(status);
        }
        catch (Exception ex)
        {
            ServiceLog.SubscriberFailed(logger, ex);
        }

        firstState.TrySetResult();
    }
}
