using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Onnx;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;
using WakeWord.Service.Metrics;
using WakeWord.Service.Options;
using WakeWord.Service.Systemd;

namespace WakeWord.Service.Worker;

/// <summary>
/// Loads the models and opens the audio source in <see cref="StartAsync"/> (so a bad model or file fails the start,
/// before "Listening"), then runs the blocking read → pipeline loop on a dedicated thread. Wake events go to the log and
/// to the <see cref="WakeEventHub"/>. Threshold and refractory changes in appsettings.json are applied from the options
/// monitor's thread through <see cref="WakeWordPipeline.UpdateDetector"/>, which swaps a detector's settings atomically.
/// </summary>
/// <remarks>
/// Models reload while the audio runs: a new model list in appsettings.json, or a model file that changed on disk
/// (Models:ReloadOnFileChange), loads a whole new <see cref="RunningModels"/> on the caller's thread, then swaps it in
/// between two chunks: the audio thread holds a lock only while it processes a chunk (uncontended, it costs nanoseconds
/// and allocates nothing), never while it waits for audio, so a swap is immediate even when a stdin source is idle. The
/// new set continues the stream's audio offsets, and the change is announced ("model_reloaded" on the pipe). A set that
/// fails to load is logged and the running one stays: a half-copied file never silences the service.
/// </remarks>
public sealed class DetectionWorker : BackgroundService
{
    private static readonly TimeSpan FileQuietTime = TimeSpan.FromMilliseconds(500);
    private readonly IOptions<AudioOptions> audioSettings;
    private readonly IOptionsMonitor<ModelsOptions> modelsMonitor;
    private readonly IHostEnvironment environment;
    private readonly IConfiguration configuration;
    private readonly IEnumerable<IValidateOptions<ModelsOptions>> modelsValidators;
    private readonly SettingsFiles settingsFiles;
    private readonly WakeEventHub hub;
    private readonly ServiceExitCode exitCode;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger<DetectionWorker> logger;
    private readonly AudioLoopHealth health;
    private readonly ServiceMetrics metrics;
    private readonly TaskCompletionSource firstState = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock modelsGate = new(); // serialises reloads and settings changes; taken before runGate
    private readonly Lock runGate = new();    // held by the audio thread while it processes a chunk
    private readonly List<IDisposable> subscriptions = [];
    private RunningModels? active;            // written under both gates, read under either
    private ModelFileWatcher? watcher;
    private IAudioSource? source;
    private AudioOptions audioOptions = new();
    private Thread? audioThread;
    private bool disposed;

    public DetectionWorker(
        IOptions<AudioOptions> audioOptions,
        IOptionsMonitor<ModelsOptions> modelsMonitor,
        IHostEnvironment environment,
        IConfiguration configuration,
        IEnumerable<IValidateOptions<ModelsOptions>> modelsValidators,
        SettingsFiles settingsFiles,
        WakeEventHub hub,
        ServiceExitCode exitCode,
        IHostApplicationLifetime lifetime,
        ILogger<DetectionWorker> logger,
        AudioLoopHealth health,
        ServiceMetrics metrics)
    {
        this.health = health;
        this.metrics = metrics;
        audioSettings = audioOptions;
        this.modelsMonitor = modelsMonitor;
        this.environment = environment;
        this.configuration = configuration;
        this.modelsValidators = modelsValidators;
        this.settingsFiles = settingsFiles;
        this.hub = hub;
        this.exitCode = exitCode;
        this.lifetime = lifetime;
        this.logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not in the constructor: ValidateOnStart runs first and reports every bad section at once.
        audioOptions = audioSettings.Value;
        ModelsOptions config = modelsMonitor.CurrentValue;
        RunningModels models = ModelSetLoader.Load(config, environment.ContentRootPath, sampleRate: null);
        LogLoaded(models);
        models.EventSubscription = models.Pipeline.Events.Subscribe(OnWakeEvent);
        active = models;

        source = AudioSourceFactory.Create(audioOptions, models.Infos[0].Features.SampleRate, logger);
        if (source is ILiveAudioSource live)
        {
            subscriptions.Add(live.Status.Subscribe(OnSourceStatus));
            metrics.ObserveSource(live);
        }

        hub.SetModels(models.Loaded());
        subscriptions.Add(modelsMonitor.OnChange(OnModelsChanged)!);

        // A settings file broken by an edit is refused by its provider (the values stay); say so.
        settingsFiles.Refused += OnSettingsFileRefused;
        subscriptions.Add(System.Reactive.Disposables.Disposable.Create(() => settingsFiles.Refused -= OnSettingsFileRefused));

        // The monitor drops an invalid reload silently (its OnChange never fires); say so, naming the bad values.
        subscriptions.Add(ChangeToken.OnChange(configuration.GetReloadToken, ReportInvalidReload));
        if (config.ReloadOnFileChange)
        {
            watcher = new ModelFileWatcher(OnModelFilesChanged, FileQuietTime);
            WatchModelFolders(config, models);
        }

        // Started means listening, or waiting for the microphone with that logged (or stopped): the host's start, and
        // with it READY=1 to systemd (SystemdNotifications), comes after this.
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        await firstState.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        audioThread = new Thread(() =>
        {
            RunLoop(stoppingToken);
            finished.SetResult();
        })
        {
            // A read blocked on stdin must not keep the process alive after the host has stopped.
            IsBackground = true,
            Name = "wakeword-audio",
        };
        audioThread.Start();
        try
        {
            await finished.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; StopAsync waits a moment for the thread.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        watcher?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (audioThread is null || audioThread.Join(TimeSpan.FromSeconds(2)))
        {
            ReleaseAudio();
        }
    }

    public override void Dispose()
    {
        if (audioThread is null || !audioThread.IsAlive)
        {
            ReleaseAudio();
        }

        base.Dispose();
    }

    private void RunLoop(CancellationToken stoppingToken)
    {
        IAudioSource input = source!;
        var buffer = new float[Math.Max(1, input.SampleRate * audioOptions.ChunkMilliseconds / 1000)];
        try
        {
            lock (runGate)
            {
                // A microphone says "Listening" only once it has opened (OnSourceStatus): never while there is no audio.
                if (input is ILiveAudioSource)
                {
                    ServiceLog.WaitingForMicrophone(logger, input.Description, active!.Describe());
                }
                else
                {
                    ServiceLog.Listening(logger, input.Description, active!.Describe());
                }
            }

            if (input is not ILiveAudioSource)
            {
                hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, $"listening on {input.Description}", DateTimeOffset.UtcNow));
                firstState.TrySetResult();
            }

            while (true)
            {
                int read = input.Read(buffer, stoppingToken);
                health.ChunkStarted();
                lock (runGate)
                {
                    if (read == 0)
                    {
                        EndOfInput(input, active!.Pipeline);
                        return;
                    }

                    active!.Pipeline.Process(buffer.AsSpan(0, read));
                }

                metrics.ChunkProcessed(read, input.SampleRate, health.ChunkDone());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        catch (AudioSourceException ex)
        {
            ServiceLog.AudioFailed(logger, ex.Message);
            Stop(ServiceExitCode.Audio);
        }
        catch (Exception ex)
        {
            ServiceLog.LoopCrashed(logger, ex);
            Stop(ServiceExitCode.Unexpected);
        }
        finally
        {
            health.ChunkDone();
            firstState.TrySetResult();
        }
    }

    private void EndOfInput(IAudioSource input, WakeWordPipeline detector)
    {
        double seconds = (double)detector.SamplesProcessed / input.SampleRate;
        if (audioOptions.ExitAtEnd)
        {
            ServiceLog.EndOfInput(logger, input.Description, seconds, "stopping (Audio:ExitAtEnd is true)");
            Stop(ServiceExitCode.Ok);
        }
        else
        {
            ServiceLog.EndOfInput(logger, input.Description, seconds, "the service stays up, idle (set Audio:ExitAtEnd=true to stop instead)");
        }
    }

    private void Stop(int code)
    {
        exitCode.Set(code);
        lifetime.StopApplication();
    }

    private void OnWakeEvent(WakeEvent wakeEvent)
    {
        ServiceLog.WakeDetected(logger, wakeEvent.Word, wakeEvent.Score, wakeEvent.Threshold, wakeEvent.AudioOffset, wakeEvent.TimeUtc, wakeEvent.ModelId);
        try
        {
            hub.Publish(wakeEvent);
        }
        catch (Exception ex)
        {
            ServiceLog.SubscriberFailed(logger, ex);
        }
    }

    private void OnSourceStatus(AudioSourceStatus status)
    {
        ServiceLog.SourceStatus(logger, status.Kind.ToString(), status.Message);
        if (status.IsListening && source is IAudioSource input)
        {
            ServiceLog.Listening(logger, input.Description, Volatile.Read(ref active)?.Describe() ?? "(no models)");
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

    private void OnModelsChanged(ModelsOptions config)
    {
        try
        {
            lock (modelsGate)
            {
                Apply(config);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or OptionsValidationException)
        {
            ServiceLog.ReloadRejected(logger, ex.Message);
        }
    }

    private void OnSettingsFileRefused(string problem) => ServiceLog.SettingsFileRejected(logger, problem);

    private void ReportInvalidReload()
    {
        var fresh = new ModelsOptions();
        SettingsBinder.BindSafely(configuration.GetSection(ModelsOptions.SectionName), fresh);
        foreach (IValidateOptions<ModelsOptions> validator in modelsValidators)
        {
            ValidateOptionsResult result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, fresh);
            if (result.Failed)
            {
                ServiceLog.ReloadRejected(logger, result.FailureMessage);
            }
        }
    }

    /// <summary>A new Models section: other files load a new set; the same files get the new detector settings.</summary>
    private void Apply(ModelsOptions config)
    {
        RunningModels current = active!;
        string[] newPaths = [.. ModelFiles.Resolve(config, environment.ContentRootPath)];
        if (!newPaths.SequenceEqual(current.Paths, StringComparer.Ordinal))
        {
            Reload(config, "appsettings.json names other models: " + string.Join(", ", newPaths.Select(Path.GetFileName)));
            return;
        }

        for (int i = 0; i < current.Infos.Length; i++)
        {
            DetectorSettings next = ModelSetLoader.SettingsFor(config, i, current.Infos[i]);
            DetectorSettings old = current.Settings[i];
            if (next == old)
            {
                continue;
            }

            current.Pipeline.UpdateDetector(i, 0, next);
            current.Settings[i] = next;
            ServiceLog.DetectorChanged(logger, current.Infos[i].Id, old.Threshold, next.Threshold, old.ConsecutiveSteps, next.ConsecutiveSteps, old.RefractorySeconds, next.RefractorySeconds);
        }

        hub.SetModels(current.Loaded());
    }

    /// <summary>The watcher saw activity in a model folder: reload when a model file (or the folder's list) really changed.</summary>
    private void OnModelFilesChanged()
    {
        try
        {
            lock (modelsGate)
            {
                if (disposed)
                {
                    return;
                }

                ModelsOptions config = modelsMonitor.CurrentValue;
                RunningModels current = active!;
                string[] paths = [.. ModelFiles.Resolve(config, environment.ContentRootPath)];
                string[] changed = [.. paths.Where((p, i) => i >= current.Paths.Length || p != current.Paths[i] || ModelFileStamp.Of(p) != current.Stamps[i]).Select(Path.GetFileName)!];
                if (changed.Length > 0 || paths.Length != current.Paths.Length)
                {
                    string what = changed.Length > 0 ? string.Join(", ", changed) + " changed on disk" : "a model file was removed";
                    Reload(config, what);
                }
            }
        }
        catch (Exception ex)
        {
            // A timer thread: an escaped exception would end the process.
            ServiceLog.ModelReloadFailed(logger, "model files changed", ex.Message, active?.Describe() ?? "nothing");
        }
    }

    /// <summary>Loads a new set (under modelsGate) and swaps it in between two chunks; a failure keeps the running set.</summary>
    private void Reload(ModelsOptions config, string reason)
    {
        if (disposed)
        {
            return;
        }

        RunningModels current = active!;
        RunningModels next;
        try
        {
            next = ModelSetLoader.Load(config, environment.ContentRootPath, source!.SampleRate);
        }
        catch (Exception ex)
        {
            ServiceLog.ModelReloadFailed(logger, reason, ex.Message, current.Describe());
            return;
        }

        LogLoaded(next);
        next.EventSubscription = next.Pipeline.Events.Subscribe(OnWakeEvent);
        lock (runGate)
        {
            next.Pipeline.ContinueStreamAt(current.Pipeline.SamplesProcessed);
            active = next;
        }

        current.Dispose();
        WatchModelFolders(config, next);
        ServiceLog.ModelsReloaded(logger, reason, next.Describe());
        hub.SetModels(next.Loaded());
        try
        {
            hub.Publish(new ModelSetChange(next.Words, $"models reloaded ({reason}): {next.Describe()}", DateTimeOffset.UtcNow));
        }
        catch (Exception ex)
        {
            ServiceLog.SubscriberFailed(logger, ex);
        }
    }

    private void LogLoaded(RunningModels models)
    {
        for (int i = 0; i < models.Infos.Length; i++)
        {
            ModelInfo info = models.Infos[i];
            DetectorSettings settings = models.Settings[i];
            ServiceLog.ModelLoaded(logger, info.Id, info.Word, info.Version, info.Path, settings.Threshold, settings.ConsecutiveSteps, settings.RefractorySeconds);
        }
    }

    private void WatchModelFolders(ModelsOptions config, RunningModels models)
    {
        if (watcher is null)
        {
            return;
        }

        IEnumerable<string> folders = models.Paths.Select(p => Path.GetDirectoryName(p)!).Append(ModelFiles.DirectoryOf(config, environment.ContentRootPath));
        foreach ((string folder, string reason) in watcher.Watch(folders))
        {
            ServiceLog.ModelWatchFailed(logger, folder, reason);
        }
    }

    private void ReleaseAudio()
    {
        RunningModels? models;
        lock (modelsGate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            models = active;
        }

        watcher?.Dispose();
        foreach (IDisposable subscription in subscriptions)
        {
            subscription.Dispose();
        }

        source?.Dispose();
        models?.Dispose();
    }
}
