using WakeWord.Core.Detection;

namespace WakeWord.Core.Pipeline;

/// <summary>
/// Samples in, wake events out: featurizer -> every model -> its detectors. All models share one feature stream (they must
/// agree on the FeatureSpec). Not thread-safe: one thread calls Process. Steady state allocates nothing.
/// </summary>
public sealed class WakeWordPipeline : IDisposable
{
    /// <param name="models">The models, each with its detectors.</param>
    /// <param name="timeProvider">Clock for WakeEvent.TimeUtc (tests inject one).</param>
    public WakeWordPipeline(IReadOnlyList<PipelineModel> models, TimeProvider? timeProvider = null) => throw new NotImplementedException();

    /// <summary>Wake events, raised synchronously on the thread that calls Process.</summary>
    public IObservable<WakeEvent> Events => throw new NotImplementedException();

    /// <summary>Optional per-step hook (model index, step index from stream start, probability) for score dumps. Called synchronously.</summary>
    public Action<int, long, float>? ScoreObserver { get; set; }

    /// <summary>Samples consumed since the start (or the last Reset).</summary>
    public long SamplesProcessed => throw new NotImplementedException();

    /// <summary>Feeds mono samples at the models' sample rate, any count (1 sample or a whole file).</summary>
    public void Process(ReadOnlySpan<float> samples) => throw new NotImplementedException();

    /// <summary>Changes one detector's settings live (appsettings.json reload).</summary>
    public void UpdateDetector(int modelIndex, int detectorIndex, DetectorSettings settings) => throw new NotImplementedException();

    /// <summary>Back to the start of a stream (featurizer, models, detectors).</summary>
    public void Reset() => throw new NotImplementedException();

    /// <summary>Completes Events and disposes the scorers.</summary>
    public void Dispose() => throw new NotImplementedException();
}
