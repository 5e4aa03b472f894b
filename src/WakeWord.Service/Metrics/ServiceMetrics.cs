using System.Diagnostics.Metrics;
using WakeWord.Core.Audio;
using WakeWord.Core.Detection;
using WakeWord.Service.Hub;

namespace WakeWord.Service.Metrics;

/// <summary>
/// The service's meter, <c>WakeWord</c>: what <c>dotnet-counters monitor -p PID --counters WakeWord</c> (or any
/// System.Diagnostics.Metrics listener) shows. The audio thread's calls are a counter add and a histogram record
/// without tags: nothing allocated, listener or not (ChunkProcessedAllocatesNothing pins it).
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "WakeWord";
    private readonly Counter<double> _audioSeconds;
    private readonly Histogram<double> _chunkMilliseconds;
    private readonly Counter<long> _wakeEvents;
    private readonly IDisposable _eventSubscription;
    private readonly IDisposable _statusSubscription;
    private int _listening;
    private double _audioSecondsTotal;
    private ILiveAudioSource? _capture;

    public ServiceMetrics(IMeterFactory meters, ServiceHub hub)
    {
        Meter meter = meters.Create(MeterName);
        _audioSeconds = meter.CreateCounter<double>("wakeword.audio.processed", "s", "Seconds of audio the models have scored");
        _chunkMilliseconds = meter.CreateHistogram<double>("wakeword.chunk.duration", "ms", "Time to score one audio chunk (features, every model, detectors)");
        _wakeEvents = meter.CreateCounter<long>("wakeword.wake_events", "{event}", "Wake words detected, by word");
        meter.CreateObservableGauge("wakeword.source.listening", () => Volatile.Read(ref _listening), "{bool}", "1 while the audio source delivers audio, 0 while it waits for a device");
        PipeCounters pipe = hub.Pipe;
        meter.CreateObservableGauge("wakeword.pipe.clients", () => pipe.Clients, "{client}", "Event pipe subscribers connected now");
        meter.CreateObservableCounter("wakeword.capture.dropped", () => Volatile.Read(ref _capture) is { } c ? (double)c.DroppedSamples / c.SampleRate : 0,
            "s", "Audio the microphone delivered that was dropped because the models fell behind (capture ring buffer full)");
        meter.CreateObservableCounter("wakeword.capture.overruns", () => Volatile.Read(ref _capture)?.Overruns ?? 0, "{overrun}",
            "Overruns reported by the capture device or its ring buffer");
        meter.CreateObservableCounter("wakeword.pipe.dropped", () => pipe.DroppedLines, "{line}", "Event lines dropped for subscribers too slow to read them");

        // Subscribed here, not later: the worker publishes its first status while the host starts.
        _eventSubscription = hub.Events.Subscribe(OnWake);
        _statusSubscription = hub.Status.Subscribe(OnStatus);
    }

    /// <summary>The microphone whose drops and overruns the meter reports (null: a file or stdin, which cannot overrun).</summary>
    public void ObserveSource(ILiveAudioSource? source) => Volatile.Write(ref _capture, source);

    /// <summary>Seconds of audio scored since start (for `wakeword status`).</summary>
    public double AudioSecondsProcessed => Volatile.Read(ref _audioSecondsTotal);

    /// <summary>One chunk of <paramref name="samples"/> samples was scored in <paramref name="elapsed"/>.</summary>
    public void ChunkProcessed(int samples, int sampleRate, TimeSpan elapsed)
    {
        double seconds = (double)samples / sampleRate;
        _audioSeconds.Add(seconds);

        // One writer (the audio thread); a 64-bit write is atomic, so readers see an old or a new total, never a torn one.
        Volatile.Write(ref _audioSecondsTotal, _audioSecondsTotal + seconds);
        _chunkMilliseconds.Record(elapsed.TotalMilliseconds);
    }

    public void Dispose()
    {
        _eventSubscription.Dispose();
        _statusSubscription.Dispose();
    }

    private void OnWake(WakeEvent wakeEvent) => _wakeEvents.Add(1, new KeyValuePair<string, object?>("word", wakeEvent.Word));

    private void OnStatus(AudioSourceStatus status) =>
        Volatile.Write(ref _listening, status.IsListening ? 1 : 0);
}
