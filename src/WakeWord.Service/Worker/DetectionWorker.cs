using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WakeWord.Core.Audio;
using WakeWord.Service.Hub;
using WakeWord.Service.Metrics;
using WakeWord.Service.Options;
using WakeWord.Service.Systemd;

namespace WakeWord.Service.Worker;

/// <summary>
/// Composes the detection side of the service: the <see cref="ModelSetHost"/> (models, settings changes, reloads), the
/// audio source and the <see cref="AudioLoop"/> thread that feeds it, and the <see cref="SettingsChangeReporter"/>.
/// Everything that can fail loads in <see cref="StartAsync"/>, so a bad model or file fails the start before "Listening"
/// (and before READY=1 to systemd); audio then runs on its own thread until the host stops or the input ends.
/// </summary>
public sealed class DetectionWorker(
    IOptions<AudioOptions> audioSettings,
    IOptionsMonitor<ModelsOptions> modelsMonitor,
    IHostEnvironment environment,
    IConfiguration configuration,
    IEnumerable<IValidateOptions<ModelsOptions>> modelsValidators,
    SettingsFiles settingsFiles,
    ServiceHub hub,
    ServiceExitCode exitCode,
    EarlyStop stopper,
    ILogger<DetectionWorker> logger,
    AudioLoopHealth health,
    ServiceMetrics metrics) : BackgroundService
{
    /// <summary>How long model files must be quiet before a reload: a copy arrives in several writes.</summary>
    private static readonly TimeSpan FileQuietTime = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stop waits for the audio thread before leaving it blocked in a read (it is a background thread).</summary>
    private static readonly TimeSpan AudioThreadJoin = TimeSpan.FromSeconds(2);

    private readonly List<IDisposable> _subscriptions = [];
    private ModelSetHost? _models;
    private AudioLoop? _loop;
    private int _released;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not in the constructor: ValidateOnStart runs first and reports every bad section at once.
        AudioOptions audio = audioSettings.Value;
        ModelsOptions config = modelsMonitor.CurrentValue;
        _models = new ModelSetHost(environment.ContentRootPath, hub, logger, settingsFiles.Name);
        int sampleRate = _models.Start(config).Infos[0].SampleRate;

        IAudioSource source = AudioSourceFactory.Create(audio, sampleRate, logger);
        _models.BindToStream(source.SampleRate);
        _loop = new AudioLoop(source, _models, audio, hub, health, metrics, logger, Stop);

        _subscriptions.Add(modelsMonitor.OnChange(_models.Apply)!);
        _subscriptions.Add(new SettingsChangeReporter(configuration, modelsValidators, settingsFiles, logger));
        if (config.ReloadOnFileChange)
        {
            _models.WatchFiles(() => modelsMonitor.CurrentValue, FileQuietTime);
        }

        // Started means listening, or waiting for the microphone with that logged (or stopped): the host's start, and
        // with it READY=1 to systemd (SystemdNotifications), comes after this.
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        await _loop.FirstState.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _loop!.Start(stoppingToken);
        try
        {
            await _loop.Finished.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; StopAsync waits a moment for the thread.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _models?.StopWatchingFiles();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_loop is null || _loop.Join(AudioThreadJoin))
        {
            Release();
        }
    }

    public override void Dispose()
    {
        // A thread still blocked in a read keeps its source and models: the process is ending anyway.
        if (_loop is null || !_loop.IsRunning)
        {
            Release();
        }

        base.Dispose();
    }

    private void Stop(int code)
    {
        exitCode.Set(code);
        stopper.Request();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _loop?.Dispose();
        _models?.Dispose();
    }
}
