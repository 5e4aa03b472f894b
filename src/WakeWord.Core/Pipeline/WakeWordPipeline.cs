using System.Reactive.Linq;
using System.Reactive.Subjects;
using WakeWord.Core.Detection;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;

namespace WakeWord.Core.Pipeline;

/// <summary>
/// Samples in, wake events out: each front end -> every model that names it -> its detectors. A front end is computed once
/// per stream for all the models that share it (equal <see cref="FrontEndSpec"/>), so a second model on the same front end
/// costs only its own scoring. All models read one audio stream and must agree on the sample rate. Not thread-safe: one
/// thread calls Process. Steady state allocates nothing.
/// </summary>
/// <remarks>
/// The pipeline owns one stream's state: a front-end stream per distinct front end and a scorer per model, made here and
/// disposed with it. The models (weights, sessions) belong to the caller, who may share them with other pipelines and
/// disposes them after the pipeline. A long input is cut into slices of at most <see cref="MaxSliceSeconds"/>, so every
/// buffer has a fixed size made in the constructor. <see cref="UpdateDetector"/> may be called from another thread (a
/// configuration reload): the detector swaps its settings atomically.
/// </remarks>
public sealed class WakeWordPipeline : IDisposable
{
    /// <summary>Audio handed to the front ends per call at most: long enough to amortise a model call.</summary>
    public const double MaxSliceSeconds = 1.92;

    private readonly FrontEndSlot[] _frontEnds;
    private readonly ModelSlot[] _slots;
    private readonly TimeProvider _timeProvider;
    private readonly Subject<WakeEvent> _events = new();
    private readonly IObservable<WakeEvent> _eventsView;
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

        ModelInfo first = (models[0] ?? throw new ArgumentException("Model 0 is null.", nameof(models))).Model.Info;
        SampleRate = first.SampleRate;
        _sliceSamples = (int)(MaxSliceSeconds * SampleRate);
        var frontEnds = new List<FrontEndSlot>();
        var slots = new List<ModelSlot>(models.Count);
        try
        {
            for (int m = 0; m < models.Count; m++)
            {
                PipelineModel model = models[m] ?? throw new ArgumentException($"Model {m} is null.", nameof(models));
                ModelInfo info = model.Model.Info;
                if (info.SampleRate != SampleRate)
                {
                    throw new ArgumentException(
                        $"Model '{info.Id}' ({info.Path}) needs audio at {info.SampleRate} Hz, but model '{first.Id}' ({first.Path}) at " +
                        $"{SampleRate} Hz; models in one pipeline read one audio stream and must agree.",
                        nameof(models));
                }

                TriggerDetector[] detectors = Detectors(model, info);
                int group = frontEnds.FindIndex(f => f.Spec == info.FrontEnd);
                if (group < 0)
                {
                    group = frontEnds.Count;
                    frontEnds.Add(new FrontEndSlot(model.Model.FrontEnd.CreateStream(), _sliceSamples));
                }

                int maxRows = frontEnds[group].Rows.Length / info.FrontEnd.Width;
                slots.Add(new ModelSlot(model, model.Model.CreateScorer(), detectors, new float[maxRows / info.RowsPerStep + 2], group));
            }
        }
        catch
        {
            DisposeAll(frontEnds, slots);
            throw;
        }

        _frontEnds = [.. frontEnds];
        _slots = [.. slots];
        _timeProvider = timeProvider ?? TimeProvider.System;
        _eventsView = _events.AsObservable();
        Models = models;
    }

    /// <summary>Wake events, raised synchronously on the thread that calls Process.</summary>
    public IObservable<WakeEvent> Events => _eventsView;

    /// <summary>Optional per-step hook (model index, step index from stream start, probability) for score dumps. Called synchronously.</summary>
    public Action<int, long, float>? ScoreObserver { get; set; }

    /// <summary>Samples of the stream so far: consumed since the start (or the last Reset), plus any <see cref="ContinueStreamAt"/>.</summary>
    public long SamplesProcessed => _samplesProcessed;

    /// <summary>Distinct front ends this pipeline computes per stream (models that share one count once).</summary>
    public int FrontEndCount => _frontEnds.Length;

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

    /// <summary>The audio rate all models read.</summary>
    public int SampleRate { get; }

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
            _samplesProcessed += slice.Length;
            for (int g = 0; g < _frontEnds.Length; g++)
            {
                FrontEndSlot frontEnd = _frontEnds[g];
                int rows = frontEnd.Stream.Process(slice, frontEnd.Rows);
                if (rows == 0)
                {
                    continue;
                }

                ReadOnlySpan<float> rowData = frontEnd.Rows.AsSpan(0, rows * frontEnd.Stream.Spec.Width);
                for (int m = 0; m < _slots.Length; m++)
                {
                    if (_slots[m].FrontEnd == g)
                    {
                        ScoreModel(m, rowData);
                    }
                }
            }
        }
    }

    /// <summary>Changes one detector's settings live (appsettings.json reload).</summary>
    public void UpdateDetector(int modelIndex, int detectorIndex, DetectorSettings settings) => Detector(modelIndex, detectorIndex).Update(settings);

    /// <summary>Back to the start of a stream (front ends, scorers, detectors).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (FrontEndSlot frontEnd in _frontEnds)
        {
            frontEnd.Stream.Reset();
        }

        foreach (ModelSlot slot in _slots)
        {
            slot.Scorer.Reset();
            slot.Steps = 0;
            foreach (TriggerDetector detector in slot.Detectors)
            {
                detector.Reset();
            }
        }

        _samplesProcessed = 0;
        _streamStartSamples = 0;
    }

    /// <summary>Completes Events and disposes this stream's state (front-end streams and scorers, not the models).</summary>
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
            DisposeAll(_frontEnds, _slots);
        }
    }

    private static TriggerDetector[] Detectors(PipelineModel model, ModelInfo info)
    {
        var detectors = new TriggerDetector[model.Detectors.Count];
        for (int d = 0; d < detectors.Length; d++)
        {
            string? problem = model.Detectors[d] is null ? "settings are null." : TriggerDetector.Check(model.Detectors[d]);
            if (problem is not null)
            {
                throw new ArgumentException($"Detector {d} of model '{info.Id}': {problem}", nameof(model));
            }

            detectors[d] = new TriggerDetector(model.Detectors[d], info.StepSeconds);
        }

        return detectors;
    }

    private static void DisposeAll(IEnumerable<FrontEndSlot> frontEnds, IEnumerable<ModelSlot> slots)
    {
        foreach (ModelSlot slot in slots)
        {
            slot.Scorer.Dispose();
        }

        foreach (FrontEndSlot frontEnd in frontEnds)
        {
            frontEnd.Stream.Dispose();
        }
    }

    private void ScoreModel(int m, ReadOnlySpan<float> rows)
    {
        ModelSlot slot = _slots[m];
        int count = slot.Scorer.Score(rows, slot.Probabilities);
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
        ModelInfo info = slot.Scorer.Info;
        var wakeEvent = new WakeEvent(
            info.Word,
            info.Id,
            probability,
            detector.Settings.Threshold,
            info.Timing.AvailableAt(step) + TimeSpan.FromTicks(_streamStartSamples * TimeSpan.TicksPerSecond / SampleRate),
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

    /// <summary>One front end's stream and its row buffer, big enough for a whole slice.</summary>
    private sealed class FrontEndSlot(IFrontEndStream stream, int sliceSamples)
    {
        public IFrontEndStream Stream { get; } = stream;

        public FrontEndSpec Spec => Stream.Spec;

        public float[] Rows { get; } = new float[(((long)sliceSamples + stream.Spec.FirstRowSamples) / stream.Spec.RowSamples + 2) * stream.Spec.Width];
    }

    private sealed class ModelSlot(PipelineModel model, IWakeWordScorer scorer, TriggerDetector[] detectors, float[] probabilities, int frontEnd)
    {
        public PipelineModel Model { get; } = model;

        public IWakeWordScorer Scorer { get; } = scorer;

        public TriggerDetector[] Detectors { get; } = detectors;

        public float[] Probabilities { get; } = probabilities;

        /// <summary>Index of this model's front end in the pipeline's list.</summary>
        public int FrontEnd { get; } = frontEnd;

        /// <summary>Output steps produced since the stream start.</summary>
        public long Steps { get; set; }
    }
}
