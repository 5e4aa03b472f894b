using Microsoft.Extensions.Logging;
using WakeWord.Core.Detection;
using WakeWord.Core.Pipeline;
using WakeWord.Core.Scoring;
using WakeWord.Service.Hub;
using WakeWord.Service.Logging;
using WakeWord.Service.Options;

namespace WakeWord.Service.Worker;

/// <summary>
/// Owns the running model set: loads it, applies new detector settings to it, reloads it when the configuration names
/// other files or a model file changes on disk, swaps a new set in between two chunks, announces the change, and
/// refuses a set that does not load while the running one carries on (a half-copied file never silences the service).
/// </summary>
/// <remarks>
/// Two locks: <c>modelsGate</c> serialises reloads and settings changes (the options monitor's and the file watcher's
/// threads) and is always taken first; <c>runGate</c> is held by the audio thread only while it processes a chunk
/// (<see cref="Process"/>; uncontended it costs nanoseconds and allocates nothing), never while it waits for audio, so
/// a swap is immediate even while a stdin source is idle. A new set continues the stream's audio offsets.
/// </remarks>
public sealed class ModelSetHost : IDisposable
{
    private readonly string _contentRoot;
    private readonly ServiceHub _hub;
    private readonly ILogger _logger;
    private readonly string _settingsName;
    private readonly Lock _modelsGate = new();
    private readonly Lock _runGate = new();
    private RunningModels? _active;  // written under both gates, read under either
    private ModelFileWatcher? _watcher;
    private int? _streamSampleRate;
    private bool _disposed;

    /// <param name="settingsName">How reload messages name the settings file (<see cref="SettingsFiles.Name"/>).</param>
    public ModelSetHost(string contentRoot, ServiceHub hub, ILogger logger, string settingsName = "appsettings.json")
    {
        _contentRoot = contentRoot;
        _hub = hub;
        _logger = logger;
        _settingsName = settingsName;
    }

    /// <summary>The running set, for reading its description and settings (null before <see cref="Start"/>).</summary>
    public RunningModels? Active => Volatile.Read(ref _active);

    public string Describe() => Active?.Describe() ?? "(no models)";

    /// <summary>Loads the first set; the audio source then opens at <see cref="ModelInfo.SampleRate"/>.</summary>
    /// <exception cref="WakeWord.Onnx.ModelLoadException">A file is missing or not a usable model; names the file.</exception>
    public RunningModels Start(ModelsOptions config)
    {
        RunningModels models = ModelSetLoader.Load(config, _contentRoot, sampleRate: null);
        Adopt(models);
        _active = models;
        _hub.SetModels(models.Loaded());
        return models;
    }

    /// <summary>The audio source's rate: a reload to models that need another one is refused (it needs a restart).</summary>
    public void BindToStream(int sampleRate) => _streamSampleRate = sampleRate;

    /// <summary>Reloads when a model file changes on disk, after <paramref name="quiet"/> without file activity.</summary>
    public void WatchFiles(Func<ModelsOptions> currentConfig, TimeSpan quiet, TimeProvider? time = null)
    {
        _watcher = new ModelFileWatcher(() => OnFilesChanged(currentConfig), quiet, time);
        WatchModelFolders(currentConfig(), _active!);
    }

    /// <summary>No more reloads for file changes (the service is stopping).</summary>
    public void StopWatchingFiles() => _watcher?.Dispose();

    /// <summary>Runs one chunk through the running set (the audio thread).</summary>
    public void Process(ReadOnlySpan<float> chunk)
    {
        lock (_runGate)
        {
            _active!.Pipeline.Process(chunk);
        }
    }

    /// <summary>Audio samples the running set has seen in this stream, the sets before it included.</summary>
    public long SamplesProcessed
    {
        get
        {
            lock (_runGate)
            {
                return _active!.Pipeline.SamplesProcessed;
            }
        }
    }

    /// <summary>A new Models section: other files load a new set; the same files get the new detector settings.</summary>
    public void Apply(ModelsOptions config)
    {
        try
        {
            lock (_modelsGate)
            {
                if (_disposed)
                {
                    return;
                }

                RunningModels current = _active!;
                string[] newPaths = [.. ModelFiles.Resolve(config, _contentRoot)];
                if (!newPaths.SequenceEqual(current.Paths, StringComparer.Ordinal))
                {
                    Reload(config, $"{_settingsName} names other models: " + string.Join(", ", newPaths.Select(Path.GetFileName)));
                    return;
                }

                // Applied on the detectors only: they own the settings, and the hub's models read them there.
                for (int i = 0; i < current.Infos.Length; i++)
                {
                    DetectorSettings next = ModelSetLoader.SettingsFor(config, i, current.Infos[i]);
                    DetectorSettings old = current.SettingsOf(i);
                    if (next != old)
                    {
                        current.Pipeline.UpdateDetector(i, 0, next);
                        ServiceLog.DetectorChanged(_logger, current.Infos[i].Id, _settingsName, old.Threshold, next.Threshold, old.ConsecutiveSteps, next.ConsecutiveSteps, old.RefractorySeconds, next.RefractorySeconds);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            ServiceLog.ReloadRejected(_logger, _settingsName, ex.Message);
        }
    }

    /// <summary>Reloads when a model file (or the folder's list) really changed since the running set was loaded.</summary>
    public void ReloadIfFilesChanged(ModelsOptions config)
    {
        try
        {
            lock (_modelsGate)
            {
                if (_disposed)
                {
                    return;
                }

                RunningModels current = _active!;
                string[] paths = [.. ModelFiles.Resolve(config, _contentRoot)];
                string[] changed = [.. paths.Where((p, i) => i >= current.Paths.Length || p != current.Paths[i] || ModelFileStamp.Of(p) != current.Stamps[i]).Select(Path.GetFileName)!];
                if (changed.Length > 0 || paths.Length != current.Paths.Length)
                {
                    Reload(config, changed.Length > 0 ? string.Join(", ", changed) + " changed on disk" : "a model file was removed");
                }
            }
        }
        catch (Exception ex)
        {
            ServiceLog.ModelReloadFailed(_logger, "model files changed", ex.Message, Describe());
        }
    }

    public void Dispose()
    {
        RunningModels? models;
        lock (_modelsGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            models = _active;
        }

        _watcher?.Dispose();
        models?.Dispose();
    }

    private void OnFilesChanged(Func<ModelsOptions> currentConfig)
    {
        try
        {
            ReloadIfFilesChanged(currentConfig());
        }
        catch (Exception ex)
        {
            // Called from a timer thread: an escaped exception would end the process.
            ServiceLog.ModelReloadFailed(_logger, "model files changed", ex.Message, Describe());
        }
    }

    /// <summary>Loads a new set (under modelsGate) and swaps it in between two chunks; a failure keeps the running set.</summary>
    private void Reload(ModelsOptions config, string reason)
    {
        RunningModels current = _active!;
        RunningModels next;
        try
        {
            next = ModelSetLoader.Load(config, _contentRoot, _streamSampleRate);
        }
        catch (Exception ex)
        {
            ServiceLog.ModelReloadFailed(_logger, reason, ex.Message, current.Describe());
            return;
        }

        Adopt(next);
        lock (_runGate)
        {
            next.Pipeline.ContinueStreamAt(current.Pipeline.SamplesProcessed);
            _active = next;
        }

        current.Dispose();
        WatchModelFolders(config, next);
        ServiceLog.ModelsReloaded(_logger, reason, next.Describe());
        _hub.SetModels(next.Loaded());
        _hub.Publish(new ModelSetChange(next.Words, $"models reloaded ({reason}): {next.Describe()}", DateTimeOffset.UtcNow));
    }

    private void Adopt(RunningModels models)
    {
        for (int i = 0; i < models.Infos.Length; i++)
        {
            ModelInfo info = models.Infos[i];
            DetectorSettings settings = models.SettingsOf(i);
            ServiceLog.ModelLoaded(_logger, info.Id, info.Word, info.Version, info.Path, settings.Threshold, settings.ConsecutiveSteps, settings.RefractorySeconds);
        }

        // Straight to the hub, which logs each event and shields detection from its observers: the host only feeds chunks in.
        models.EventSubscription = models.Pipeline.Events.Subscribe(_hub.Publish);
    }

    private void WatchModelFolders(ModelsOptions config, RunningModels models)
    {
        if (_watcher is null)
        {
            return;
        }

        IEnumerable<string> folders = models.Paths.Select(p => Path.GetDirectoryName(p)!).Append(ModelFiles.DirectoryOf(config, _contentRoot));
        foreach ((string folder, string reason) in _watcher.Watch(folders))
        {
            ServiceLog.ModelWatchFailed(_logger, folder, reason);
        }
    }
}
