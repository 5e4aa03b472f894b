using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.Scoring;

namespace WakeWord.Onnx;

/// <summary>
/// Runs a contract model (models/README.md) over a stream: frames in, one probability per output step out, with the
/// convolution context and the GRU state carried from call to call. Frames that do not complete a step wait for the next
/// call. Not thread-safe: one stream, one thread.
/// </summary>
/// <remarks>
/// Steady state allocates nothing: every tensor is an <see cref="OrtValue"/> over a pinned managed array made once, and
/// each run goes through an <see cref="OrtIoBinding"/> made once (Run with OrtValue lists allocated 418 bytes per call
/// with ONNX Runtime 1.31.1). The recurrent state lives in two sets of buffers, A and B; one binding reads A and writes B,
/// its twin reads B and writes A, so the state is handed over by switching bindings, without a copy. Bindings are made
/// per number of steps k on first use, so a stream fed in same-sized chunks allocates only in its first call.
/// </remarks>
public sealed class StreamingGruModel : IWakeWordScorer
{
    /// <summary>Steps per ONNX Runtime call at most; longer inputs take several calls (keeps the cached tensors small).</summary>
    public const int MaxStepsPerRun = 64;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelShape _shape;
    private readonly int _stepFloats;          // floats of one step's frames (FramesPerStep * F)
    private readonly float[] _convA, _convB, _gruA, _gruB;
    private readonly OrtValue _convAValue, _convBValue, _gruAValue, _gruBValue;
    private readonly StepRun?[] _runs = new StepRun?[MaxStepsPerRun + 1];
    private readonly float[] _pending;         // frames waiting for their step to be complete
    private int _pendingFrames;
    private bool _stateInB;                    // false: the current state is in A
    private bool _disposed;

    internal StreamingGruModel(InferenceSession session, ModelInfo info, ModelShape shape)
    {
        _session = session;
        Info = info;
        _shape = shape;
        _stepFloats = shape.FramesPerStep * shape.MelBins;
        long[] convShape = [1, shape.ContextFrames, shape.MelBins];
        long[] gruShape = [shape.GruLayers, 1, shape.GruHidden];
        _convA = new float[shape.ContextFrames * shape.MelBins];
        _convB = new float[_convA.Length];
        _gruA = new float[shape.GruLayers * shape.GruHidden];
        _gruB = new float[_gruA.Length];
        _convAValue = OrtValue.CreateTensorValueFromMemory(_convA, convShape);
        _convBValue = OrtValue.CreateTensorValueFromMemory(_convB, convShape);
        _gruAValue = OrtValue.CreateTensorValueFromMemory(_gruA, gruShape);
        _gruBValue = OrtValue.CreateTensorValueFromMemory(_gruB, gruShape);
        _pending = new float[_stepFloats];
    }

    public ModelInfo Info { get; }

    /// <summary>The graph's fixed dimensions.</summary>
    public ModelShape Shape => _shape;

    /// <summary>Frames held back because they do not complete a step yet.</summary>
    public int PendingFrames => _pendingFrames;

    /// <summary>How many probabilities a <see cref="Score"/> call with <paramref name="frameCount"/> new frames writes.</summary>
    public int StepsFor(int frameCount) => (_pendingFrames + frameCount) / _shape.FramesPerStep;

    public int Score(ReadOnlySpan<float> frames, Span<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int melBins = _shape.MelBins;
        if (frames.Length % melBins != 0)
        {
            throw new ArgumentException($"Frames must be whole rows of {melBins} mel bins, got {frames.Length} floats.", nameof(frames));
        }

        int steps = StepsFor(frames.Length / melBins);
        if (probabilities.Length < steps)
        {
            throw new ArgumentException($"Room for {probabilities.Length} probabilities, but these frames complete {steps} steps.", nameof(probabilities));
        }

        int written = 0;
        while (written < steps)
        {
            int k = Math.Min(steps - written, MaxStepsPerRun);
            StepRun run = _runs[k] ??= new StepRun(this, k);

            // The pending frames come first, then the new ones, up to k whole steps.
            Span<float> input = run.Features;
            int pendingFloats = _pendingFrames * melBins;
            _pending.AsSpan(0, pendingFloats).CopyTo(input);
            int fromFrames = input.Length - pendingFloats;
            frames[..fromFrames].CopyTo(input[pendingFloats..]);
            frames = frames[fromFrames..];
            _pendingFrames = 0;

            _session.RunWithBinding(_runOptions, _stateInB ? run.FromB : run.FromA);
            _stateInB = !_stateInB;
            run.Probabilities.AsSpan().CopyTo(probabilities[written..]);
            written += k;
        }

        // What is left does not complete a step: keep it for the next call.
        frames.CopyTo(_pending.AsSpan(_pendingFrames * melBins));
        _pendingFrames += frames.Length / melBins;
        return written;
    }

    public void Reset()
    {
        Array.Clear(_convA);
        Array.Clear(_convB);
        Array.Clear(_gruA);
        Array.Clear(_gruB);
        _stateInB = false;
        _pendingFrames = 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (StepRun? run in _runs)
        {
            run?.Dispose();
        }

        _convAValue.Dispose();
        _convBValue.Dispose();
        _gruAValue.Dispose();
        _gruBValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>The tensors and the two bindings for a run of k steps.</summary>
    private sealed class StepRun : IDisposable
    {
        private readonly OrtValue _featuresValue;
        private readonly OrtValue _probsValue;

        public StepRun(StreamingGruModel model, int steps)
        {
            ModelShape shape = model._shape;
            Features = new float[steps * model._stepFloats];
            Probabilities = new float[steps];
            _featuresValue = OrtValue.CreateTensorValueFromMemory(Features, [1, steps * shape.FramesPerStep, shape.MelBins]);
            _probsValue = OrtValue.CreateTensorValueFromMemory(Probabilities, [1, steps]);
            FromA = Bind(model, model._convAValue, model._gruAValue, model._convBValue, model._gruBValue);
            FromB = Bind(model, model._convBValue, model._gruBValue, model._convAValue, model._gruAValue);
        }

        public float[] Features { get; }

        public float[] Probabilities { get; }

        /// <summary>Reads the state from A and writes it to B.</summary>
        public OrtIoBinding FromA { get; }

        /// <summary>Reads the state from B and writes it to A.</summary>
        public OrtIoBinding FromB { get; }

        public void Dispose()
        {
            FromA.Dispose();
            FromB.Dispose();
            _featuresValue.Dispose();
            _probsValue.Dispose();
        }

        private OrtIoBinding Bind(StreamingGruModel model, OrtValue convIn, OrtValue gruIn, OrtValue convOut, OrtValue gruOut)
        {
            OrtIoBinding binding = model._session.CreateIoBinding();
            binding.BindInput(ModelContract.FeaturesInput, _featuresValue);
            binding.BindInput(ModelContract.ConvStateInput, convIn);
            binding.BindInput(ModelContract.GruStateInput, gruIn);
            binding.BindOutput(ModelContract.ProbsOutput, _probsValue);
            binding.BindOutput(ModelContract.ConvStateOutput, convOut);
            binding.BindOutput(ModelContract.GruStateOutput, gruOut);
            return binding;
        }
    }
}
