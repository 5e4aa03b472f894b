using System.Reactive.Linq;
using System.Reactive.Subjects;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;

namespace WakeWord.Service.Hub;

/// <summary>
/// The service's wake events and audio-source changes, for every part of the service that wants them (the pipe server,
/// the log). A DI singleton that outlives the pipeline, hence subjects rather than the pipeline's own observable.
/// Observers are called synchronously on the audio thread: they must not block, and an observer that throws is logged
/// by the worker, not allowed to stop detection.
/// </summary>
public sealed class WakeEventHub : IDisposable
{
    private readonly Subject<WakeEvent> _events = new();
    private readonly Subject<AudioSourceStatus> _status = new();
    private readonly Subject<ModelSetChange> _models = new();
    private readonly object _statusGate = new();
    private volatile IReadOnlyList<string> _words = [];
    private volatile IReadOnlyList<LoadedModel> _loaded = [];

    /// <summary>Every wake event of every model, in order.</summary>
    public IObservable<WakeEvent> Events => _events.AsObservable();

    /// <summary>Listening, device lost, device back (from the capture side or the worker).</summary>
    public IObservable<AudioSourceStatus> Status => _status.AsObservable();

    /// <summary>The running models were replaced while the service runs (a new model file, or a new list in appsettings.json).</summary>
    public IObservable<ModelSetChange> ModelsReloaded => _models.AsObservable();

    /// <summary>The wake words of the running models; set before the worker's StartAsync returns.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The running models and their detector settings (for `wakeword status`); set with the words.</summary>
    public IReadOnlyList<LoadedModel> Models => _loaded;

    /// <summary>The worker runs these models now (at start, after a reload, after a settings change).</summary>
    internal void SetModels(IReadOnlyList<LoadedModel> value)
    {
        _loaded = value;
        _words = value.Select(m => m.Word).Distinct(StringComparer.Ordinal).ToArray();
    }

    internal void Publish(WakeEvent wakeEvent) => _events.OnNext(wakeEvent);

    internal void Publish(ModelSetChange change)
    {
        _words = change.Words;
        lock (_statusGate)
        {
            _models.OnNext(change);
        }
    }

    internal void Publish(AudioSourceStatus change)
    {
        // Capture threads and the worker both report status; Rx requires observers to see one call at a time.
        lock (_statusGate)
        {
            _status.OnNext(change);
        }
    }

    public void Dispose()
    {
        _events.OnCompleted();
        lock (_statusGate)
        {
            _status.OnCompleted();
            _models.OnCompleted();
        }

        // Not Subject.Dispose(): when a later hosted service fails to start, the container disposes the hub while the
        // audio thread may still publish (its "listening" status), and OnNext on a disposed Subject throws; on a
        // completed one it is a no-op. (Added by H3, who hit this with the event pipe's start failure.)
    }
}
