using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Logging;

namespace WakeWord.Service.Hub;

/// <summary>
/// What the parts of the service learn about each other, without holding each other: the running models, the event
/// pipe's figures, and the service's changes (wake events, the audio source's state, model-set changes). The worker and
/// the pipe server write here; the pipe server, the meter, the status board and systemd's notifications read. A DI
/// singleton that outlives each pipeline, hence subjects rather than a pipeline's own observable.
/// </summary>
/// <remarks>
/// Observers are called synchronously on the publishing thread (the audio thread for wake events): they must not block.
/// An observer that throws is logged here and does not reach the publisher, so a subscriber's bug never stops detection.
/// </remarks>
public sealed class ServiceHub : IDisposable
{
    private readonly ILogger _logger;
    private readonly Subject<WakeEvent> _events = new();
    private readonly Subject<AudioSourceStatus> _status = new();
    private readonly Subject<ModelSetChange> _models = new();
    private readonly object _statusGate = new();
    private volatile IReadOnlyList<string> _words = [];
    private volatile IReadOnlyList<LoadedModel> _loaded = [];

    /// <param name="logger">Where wake events and failing observers are logged (none in tests that do not look).</param>
    public ServiceHub(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>Every wake event of every model, in order.</summary>
    public IObservable<WakeEvent> Events => _events.AsObservable();

    /// <summary>Listening, device lost, device back, ended (from the capture side or the audio loop).</summary>
    public IObservable<AudioSourceStatus> Status => _status.AsObservable();

    /// <summary>The running models were replaced while the service runs (a new model file, or a new list in appsettings.json).</summary>
    public IObservable<ModelSetChange> ModelsReloaded => _models.AsObservable();

    /// <summary>The wake words of the running models; set before the worker's StartAsync returns.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The running models, each with a view of its detector's settings in force (for `wakeword status`).</summary>
    public IReadOnlyList<LoadedModel> Models => _loaded;

    /// <summary>The event pipe's clients and dropped lines (zero while the pipe is off).</summary>
    public PipeCounters Pipe { get; } = new();

    /// <summary>The worker runs these models now (at start and after a reload; a settings change shows through their views).</summary>
    internal void SetModels(IReadOnlyList<LoadedModel> value)
    {
        _loaded = value;
        _words = value.Select(m => m.Word).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Logs a wake event, then hands it to every observer (on the audio thread).</summary>
    internal void Publish(WakeEvent wakeEvent)
    {
        ServiceLog.WakeDetected(_logger, wakeEvent.Word, wakeEvent.Score, wakeEvent.Threshold, wakeEvent.AudioOffset, wakeEvent.TimeUtc, wakeEvent.ModelId);
        Shielded(() => _events.OnNext(wakeEvent));
    }

    internal void Publish(ModelSetChange change)
    {
        _words = change.Words;
        lock (_statusGate)
        {
            Shielded(() => _models.OnNext(change));
        }
    }

    internal void Publish(AudioSourceStatus change)
    {
        // Capture threads and the audio loop both report status; Rx requires observers to see one call at a time.
        lock (_statusGate)
        {
            Shielded(() => _status.OnNext(change));
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
        // completed one it is a no-op.
    }

    private void Shielded(Action notify)
    {
        try
        {
            notify();
        }
        catch (Exception ex)
        {
            ServiceLog.SubscriberFailed(_logger, ex);
        }
    }
}
