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
    WakeEventHub hub,
    ServiceExitCode exitCode,
    IHostApplicationLifetime lifetime,
    ILogger<DetectionWorker> logger,
    AudioLoopHealth health,
    ServiceMetrics metrics) : BackgroundService
{
    /// <summary>How long model files must be quiet before a reload: a copy arrives in several writes.</summary>
    private static readonly TimeSpan FileQuietTime = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stop waits for the audio thread before leaving it blocked in a read (it is a background thread).</summary>
    private static readonly TimeSpan AudioThreadJoin = TimeSpan.FromSeconds(2);

    private readonly List<IDisposable> subscriptions = [];
    private ModelSetHost? models;
    private AudioLoop? loop;
    private int released;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not in the constructor: ValidateOnStart runs first and reports every bad section at once.
        AudioOptions audio = audioSettings.Value;
        ModelsOptions config = modelsMonitor.CurrentValue;
        models = new ModelSetHost(environment.ContentRootPath, hub, logger);
        int sampleRate = models.Start(config).Infos[0].Features.SampleRate;

        IAudioSource source = AudioSourceFactory.Create(audio, sampleRate, logger);
        models.BindToStream(source.SampleRate);
        loop = new AudioLoop(source, models, audio, hub, health, metrics, logger, Stop);

        subscriptions.Add(modelsMonitor.OnChange(models.Apply)!);
        subscriptions.Add(new SettingsChangeReporter(configuration, modelsValidators, settingsFiles, logger));
        if (config.ReloadOnFileChange)
        {
            models.WatchFiles(() => modelsMonitor.CurrentValue, FileQuietTime);
        }

        // Started means listening, or waiting for the microphone with that logged (or stopped): the host's start, and
        // with it READY=1 to systemd (SystemdNotifications), comes after this.
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        await loop.FirstState.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        loop!.Start(stoppingToken);
        try
        {
            await loop.Finished.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; StopAsync waits a moment for the thread.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        models?.StopWatchingFiles();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (loop is null || loop.Join(AudioThreadJoin))
        {
            Release();
        }
    }

    public override void Dispose()
    {
        // A thread still blocked in a read keeps its source and models: the process is ending anyway.
        if (loop is null || !loop.IsRunning)
        {
            Release();
        }

        base.Dispose();
    }

    private void Stop(int code)
    {
        exitCode.Set(code);
        lifetime.StopApplication();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 1)
        {
            return;
        }

        foreach (IDisposable subscription in subscriptions)
        {
            subscription.Dispose();
        }

        loop?.Dispose();
        models?.Dispose();
    }
}
