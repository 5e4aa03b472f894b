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
using WakeWord.Service.Options;

namespace WakeWord.Service.Worker;

/// <summary>
/// Loads the models and opens the audio source in <see cref="StartAsync"/> (so a bad model or file fails the start,
/// before "Listening"), then runs the blocking read → pipeline loop on a dedicated thread. Wake events go to the log and
/// to the <see cref="WakeEventHub"/>. Threshold and refractory changes in appsettings.json are applied from the options
/// monitor's thread through <see cref="WakeWordPipeline.UpdateDetector"/>, which swaps a detector's settings atomically.
/// </summary>
public sealed class DetectionWorker : BackgroundService
{
    private readonly IOptions<AudioOptions> audioSettings;
    private readonly IOptionsMonitor<ModelsOptions> modelsMonitor;
    private readonly IHostEnvironment environment;
    private readonly IConfiguration configuration;
    private readonly IEnumerable<IValidateOptions<ModelsOptions>> modelsValidators;
    private readonly WakeEventHub hub;
    private readonly ServiceExitCode exitCode;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger<DetectionWorker> logger;
    private readonly object settingsGate = new();
    private readonly List<IDisposable> subscriptions = [];
    private WakeWordPipeline? pipeline;
    private IAudioSource? source;
    private ModelInfo[] infos = [];
    private string[] paths = [];
    private DetectorSettings[] settings = [];
    private AudioOptions audioOptions = new();
    private Thread? audioThread;
    private bool disposed;

    public DetectionWorker(
        IOptions<AudioOptions> audioOptions,
        IOptionsMonitor<ModelsOptions> modelsMonitor,
        IHostEnvironment environment,
        IConfiguration configuration,
        IEnumerable<IValidateOptions<ModelsOptions>> modelsValidators,
        WakeEventHub hub,
        ServiceExitCode exitCode,
        IHostApplicationLifetime lifetime,
        ILogger<DetectionWorker> logger)
    {
        audioSettings = audioOptions;
        this.modelsMonitor = modelsMonitor;
        this.environment = environment;
        this.configuration = configuration;
        this.modelsValidators = modelsValidators;
        this.hub = hub;
        this.exitCode = exitCode;
        this.lifetime = lifetime;
        this.logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not in the constructor: ValidateOnStart runs first and reports every bad section at once.
        audioOptions = audioSettings.Value;
        ModelsOptions config = modelsMonitor.CurrentValue;
        paths = [.. ModelFiles.Resolve(config, environment.ContentRootPath)];
        if (paths.Length == 0)
        {
            throw new ModelLoadException($"no models to run: Models:Active is empty and {ModelFiles.DirectoryOf(config, environment.ContentRootPath)} holds no *.onnx");
        }

        var scorers = new List<IWakeWordScorer>();
        try
        {
            foreach (string path in paths)
            {
                scorers.Add(OnnxModelLoader.Load(path));
            }

            infos = scorers.Select(s => s.Info).ToArray();
            CheckSameFeatures(infos);
            settings = new DetectorSettings[infos.Length];
            var models = new List<PipelineModel>(infos.Length);
            for (int i = 0; i < infos.Length; i++)
            {
                settings[i] = SettingsFor(EntryAt(config, i), infos[i]);
                models.Add(new PipelineModel(scorers[i], [settings[i]]));
                ServiceLog.ModelLoaded(logger, infos[i].Id, infos[i].Word, infos[i].Version, infos[i].Path, settings[i].Threshold, settings[i].ConsecutiveSteps, settings[i].RefractorySeconds);
            }

            pipeline = new WakeWordPipeline(models);
        }
        catch
        {
            foreach (IWakeWordScorer scorer in scorers)
            {
                scorer.Dispose();
            }

            throw;
        }

        subscriptions.Add(pipeline.Events.Subscribe(OnWakeEvent));
        source = AudioSourceFactory.Create(audioOptions, infos[0].Features.SampleRate, logger);
        if (source is ILiveAudioSource live)
        {
            subscriptions.Add(live.Status.Subscribe(OnSourceStatus));
        }

        hub.SetWords(infos.Select(i => i.Word).Distinct(StringComparer.Ordinal).ToArray());
        subscriptions.Add(modelsMonitor.OnChange(OnModelsChanged)!);

        // The monitor drops an invalid reload silently (its OnChange never fires); say so, naming the bad values.
        subscriptions.Add(ChangeToken.OnChange(configuration.GetReloadToken, ReportInvalidReload));
        return base.StartAsync(cancellationToken);
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
        WakeWordPipeline detector = pipeline!;
        var buffer = new float[Math.Max(1, input.SampleRate * audioOptions.ChunkMilliseconds / 1000)];
        try
        {
            ServiceLog.Listening(logger, input.Description, string.Join(", ", infos.Select(i => $"\"{i.Word}\" ({i.Id})")));
            if (input is not ILiveAudioSource)
            {
                hub.Publish(new AudioSourceStatus(AudioSourceStatusKind.Listening, $"listening on {input.Description}", DateTimeOffset.UtcNow));
            }

            while (true)
            {
                int read = input.Read(buffer, stoppingToken);
                if (read == 0)
                {
                    EndOfInput(input, detector);
                    return;
                }

                detector.Process(buffer.AsSpan(0, read));
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
        try
        {
            hub.Publish(status);
        }
        catch (Exception ex)
        {
            ServiceLog.SubscriberFailed(logger, ex);
        }
    }

    private void OnModelsChanged(ModelsOptions config)
    {
        try
        {
            lock (settingsGate)
            {
                Apply(config);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or OptionsValidationException)
        {
            ServiceLog.ReloadRejected(logger, ex.Message);
        }
    }

    private void ReportInvalidReload()
    {
        var fresh = new ModelsOptions();
        configuration.GetSection(ModelsOptions.SectionName).Bind(fresh);
        foreach (IValidateOptions<ModelsOptions> validator in modelsValidators)
        {
            ValidateOptionsResult result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, fresh);
            if (result.Failed)
            {
                ServiceLog.ReloadRejected(logger, result.FailureMessage);
            }
        }
    }

    private void Apply(ModelsOptions config)
    {
        string[] newPaths = [.. ModelFiles.Resolve(config, environment.ContentRootPath)];
        if (!newPaths.SequenceEqual(paths, StringComparer.Ordinal))
        {
            ServiceLog.ModelListNeedsRestart(logger, $"running {string.Join(", ", paths.Select(Path.GetFileName))}; configured {string.Join(", ", newPaths.Select(Path.GetFileName))}");
        }

        for (int i = 0; i < infos.Length && i < newPaths.Length; i++)
        {
            if (!string.Equals(newPaths[i], paths[i], StringComparison.Ordinal))
            {
                continue;
            }

            DetectorSettings next = SettingsFor(EntryAt(config, i), infos[i]);
            DetectorSettings old = settings[i];
            if (next == old)
            {
                continue;
            }

            pipeline!.UpdateDetector(i, 0, next);
            settings[i] = next;
            ServiceLog.DetectorChanged(logger, infos[i].Id, old.Threshold, next.Threshold, old.ConsecutiveSteps, next.ConsecutiveSteps, old.RefractorySeconds, next.RefractorySeconds);
        }
    }

    private static ModelEntryOptions? EntryAt(ModelsOptions config, int index) =>
        index < config.Active.Count ? config.Active[index] : null;

    private static DetectorSettings SettingsFor(ModelEntryOptions? entry, ModelInfo info) => new(
        entry?.Threshold ?? info.RecommendedThreshold,
        entry?.ConsecutiveSteps ?? 1,
        entry?.RefractorySeconds ?? info.RecommendedRefractorySeconds);

    private static void CheckSameFeatures(ModelInfo[] models)
    {
        foreach (ModelInfo model in models)
        {
            if (model.Features != models[0].Features)
            {
                throw new ModelLoadException(
                    $"{model.Path}: its features ({model.Features}) differ from those of {models[0].Path} ({models[0].Features}); one service runs models that share one feature stream");
            }
        }
    }

    private void ReleaseAudio()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (IDisposable subscription in subscriptions)
        {
            subscription.Dispose();
        }

        source?.Dispose();
        pipeline?.Dispose();
    }
}
