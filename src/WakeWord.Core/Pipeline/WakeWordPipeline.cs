using System.Reactive.Linq;
using System.Reactive.Subjects;
using WakeWord.Core.Detection;
using WakeWord.Core.Features;
using WakeWord.Core.Scoring;

namespace WakeWord.Core.Pipeline;

/// <summary>
/// Samples in, wake events out: featurizer -> every model -> its detectors. All models share one feature stream (they must
/// agree on the FeatureSpec). Not thread-safe: one thread calls Process. Steady state allocates nothing.
/// </summary>
/// <remarks>
/// A long input is cut into slices of at most <see cref="MaxFramesPerSlice"/> frames, so every buffer has a fixed size made
/// in the constructor and a model sees at most that many frames per call. <see cref="UpdateDetector"/> may be called from
/// another thread (a configuration reload): the detector swaps its settings atomically.
/// </remarks>
public sealed class WakeWordPipeline : IDisposable
{
    /// <summary>Frames handed to the models per call at most (1.92 s at a 10 ms hop): long enough to amortise a model call.</summary>
    public const int MaxFramesPerSlice = 192;

    private readonly ModelSlot[] _slots;
    private readonly LogMelFeaturizer _featurizer;
    private readonly TimeProvider _timeProvider;
    private readonly Subject<WakeEvent> _events = new();
    private readonly IObservable<WakeEvent> _eventsView;
    private readonly float[] _frames;
    private readonly int _sliceSamples;
    private long _samplesProcessed;
    private long _streamStartSamples;
    private bool _disposed;

    /// <param name="models">The models, each with its detectors.</param>
    /// <param name="timeProvider">Clock for WakeEvent.TimeUtc (tests inject one).</param>
    public WakeWordPipeline(IReadOnlyList<PipelineModel> models, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("A pipeline needs at least one model.", nameof(models));
        }

        ModelInfo first = models[0].Scorer.Info;
        _slots = new ModelSlot[models.Count];
        for (int m = 0; m < models.Count; m++)
        {
            PipelineModel model = models[m] ?? throw new ArgumentException($"Model {m} is null.", nameof(models));
            ModelInfo info = model.Scorer.Info;
            if (info.Features != first.Features)
            {
                throw new ArgumentException(
                    $"Model '{info.Id}' ({info.Path}) needs features {Describe(info.Features)}, but model '{first.Id}' ({first.Path}) needs " +
                    $"{Describe(first.Features)}; models in one pipeline share one feature stream and must agree.",
                    nameof(models));
            }

            var detectors = new TriggerDetector[model.Detectors.Count];
            for (int d = 0; d < detectors.Length; d++)
            {
                string? problem = model.Detectors[d] is null ? "settings are null." : TriggerDetector.Check(model.Detectors[d]);
                if (problem is not null)
                {
                    throw new ArgumentException($"Detector {d} of model '{info.Id}': {problem}", nameof(models));
                }

                detectors[d] = new TriggerDetector(model.Detectors[d], info.StepSeconds);
            }

            _slots[m] = new ModelSlot(model, detectors, new float[MaxFramesPerSlice / Math.Max(1, info.FramesPerStep) + 2]);
        }

        Features = first.Features;
        _featurizer = new LogMelFeaturizer(Features);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _eventsView = _events.AsObservable();
        _frames = new float[MaxFramesPerSlice * Features.MelBins];
        _sliceSamples = MaxFramesPerSlice * Features.HopSamples;
        Models = models;
    }

    /// <summary>Wake events, raised synchronously on the thread that calls Process.</summary>
    public IObservable<WakeEvent> Events => _eventsView;

    /// <summary>Optional per-step hook (model index, step index from stream start, probability) for score dumps. Called synchronously.</summary>
    public Action<int, long, float>? ScoreObserver { get; set; }

    /// <summary>Samples of the stream so far: consumed since the start (or the last Reset), plus any <see cref="ContinueStreamAt"/>.</summary>
    public long SamplesProcessed => _samplesProcessed;

    /// <summary>
    /// Makes this pipeline take over a stream that another one began (a model reload while the audio runs): the models
    /// start fresh, but <see cref="SamplesProcessed"/> and the events' audio offsets count from that stream's start.
    /// Call before the first <see cref="Process"/>.
    /// </summary>
    public void ContinueStreamAt(long streamSample)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(streamSample);
        if (_samplesProcessed != _streamStartSamples)
        {
            throw new InvalidOperationException("ContinueStreamAt must come before the first Process call.");
        }

        _streamStartSamples = streamSample;
        _samplesProcessed = streamSample;
    }

    /// <summary>The feature definition all models share (sample rate, hop, ...).</summary>
    public FeatureSpec Features { get; }

    /// <summary>The models as given to the constructor.</summary>
    public IReadOnlyList<PipelineModel> Models { get; }

    /// <summary>The current settings of a detector (after any <see cref="UpdateDetector"/>).</summary>
    public DetectorSettings GetDetectorSettings(int modelIndex, int detectorIndex) => Detector(modelIndex, detectorIndex).Settings;


    /// <summary>Feeds mono samples at the models' sample rate, any count (1 sample or a whole file).</summary>
    public void Process(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!samples.IsEmpty)
        {
            ReadOnlySpan<float> slice = samples[..Math.Min(_sliceSamples, samples.Length)];
            samples = samples[slice.Length..];
            int frames = _featurizer.Process(slice, _frames);
            _samplesProcessed += slice.Length;
            if (frames == 0)
            {
                continue;
            }

            ReadOnlySpan<float> frameData = _frames.AsSpan(0, frames * Features.MelBins);
            for (int m = 0; m < _slots.Length; m++)
            {
                ScoreModel(m, frameData);
            }
        }
    }

    /// <summary>Changes one detector's settings live (appsettings.json reload).</summary>
    public void UpdateDetector(int modelIndex, int detectorIndex, DetectorSettings settings) => Detector(modelIndex, detectorIndex).Update(settings);

    /// <summary>Back to the start of a stream (featurizer, models, detectors).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _featurizer.Reset();
        foreach (ModelSlot slot in _slots)
        {
            slot.Model.Scorer.Reset();
            slot.Steps = 0;
            foreach (TriggerDetector detector in slot.Detectors)
            {
                detector.Reset();
            }
        }

        _samplesProcessed = 0;
        _streamStartSamples = 0;
    }

    /// <summary>Completes Events and disposes the scorers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _events.OnCompleted();
        }
        finally
        {
            _events.Dispose();
            foreach (ModelSlot slot in _slots)
            {
                slot.Model.Scorer.Dispose();
            }
        }
    }

    private void ScoreModel(int m, ReadOnlySpan<float> frames)
    {
        ModelSlot slot = _slots[m];
        int count = slot.Model.Scorer.Score(frames, slot.Probabilities);
        Action<int, long, float>? observer = ScoreObserver;
        for (int i = 0; i < count; i++)
        {
            float p = slot.Probabilities[i];
            long step = slot.Steps++;
            observer?.Invoke(m, step, p);
            TriggerDetector[] detectors = slot.Detectors;
            for (int d = 0; d < detectors.Length; d++)
            {
                if (detectors[d].Step(p))
                {
                    Raise(slot, detectors[d], step, p);
                }
            }
        }
    }

    private void Raise(ModelSlot slot, TriggerDetector detector, long step, float probability)
    {
        ModelInfo info = slot.Model.Scorer.Info;
        var wakeEvent = new WakeEvent(
            info.Word,
            info.Id,
            probability,
            detector.Settings.Threshold,
            info.Timing.AvailableAt(step) + TimeSpan.FromTicks(_streamStartSamples * TimeSpan.TicksPerSecond / Features.SampleRate),
            _timeProvider.GetUtcNow());
        _events.OnNext(wakeEvent);
    }

    private TriggerDetector Detector(int modelIndex, int detectorIndex)
    {
        if ((uint)modelIndex >= (uint)_slots.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(modelIndex), modelIndex, $"Model index must be in [0, {_slots.Length - 1}], got {modelIndex}.");
        }

        TriggerDetector[] detectors = _slots[modelIndex].Detectors;
        if ((uint)detectorIndex >= (uint)detectors.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(detectorIndex), detectorIndex, $"Model {modelIndex} has {detectors.Length} detectors; index {detectorIndex} is out of range.");
        }

        return detectors[detectorIndex];
    }

    private static string Describe(FeatureSpec f) =>
        $"(rate {f.SampleRate}, window {f.WindowSamples}, hop {f.HopSamples}, fft {f.FftSize}, mels {f.MelBins}, {f.FminHz}-{f.FmaxHz} Hz, floor {f.LogFloor})";

    private sealed class ModelSlot(PipelineModel model, TriggerDetector[] detectors, float[] probabilities)
    {
        public PipelineModel Model { get; } = model;

        public TriggerDetector[] Detectors { get; } = detectors;

        public float[] Probabilities { get; } = probabilities;

        /// <summary>Output steps produced since the stream start.</summary>
        public long Steps { get; set; }
    }
}
