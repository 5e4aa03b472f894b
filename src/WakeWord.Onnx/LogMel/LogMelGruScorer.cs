using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx.LogMel;

/// <summary>
/// One stream through a <see cref="LogMelGruModel"/>: frames in, one probability per output step out, with the
/// convolution context and the GRU state carried from call to call. Frames that do not complete a step wait for the
/// next call. Steady state allocates nothing (<see cref="StreamingSession"/>). Not thread-safe: one stream, one thread.
/// </summary>
public sealed class LogMelGruScorer : IWakeWordScorer
{
    /// <summary>Steps per ONNX Runtime call at most; longer inputs take several calls (keeps the cached tensors small).</summary>
    public const int MaxStepsPerRun = 64;

    private readonly StreamingSession _stream;
    private readonly LogMelGruShape _shape;
    private readonly int _stepFloats;          // floats of one step's frames (FramesPerStep * F)
    private readonly float[] _pending;         // frames waiting for their step to be complete
    private int _pendingFrames;
    private bool _disposed;

    internal LogMelGruScorer(InferenceSession session, ModelInfo info, LogMelGruShape shape)
    {
        Info = info;
        _shape = shape;
        _stepFloats = shape.FramesPerStep * shape.MelBins;
        _pending = new float[_stepFloats];
        _stream = new StreamingSession(
            session,
            new StreamingSession.Port(ModelContract.FeaturesInput, _stepFloats, k => [1, k * shape.FramesPerStep, shape.MelBins]),
            new StreamingSession.Port(ModelContract.ProbsOutput, 1, k => [1, k]),
            [
                new(ModelContract.ConvStateInput, ModelContract.ConvStateOutput, [1, shape.ContextFrames, shape.MelBins]),
                new(ModelContract.GruStateInput, ModelContract.GruStateOutput, [shape.GruLayers, 1, shape.GruHidden]),
            ],
            MaxStepsPerRun);
    }

    public ModelInfo Info { get; }

    /// <summary>Frames held back because they do not complete a step yet.</summary>
    public int PendingFrames => _pendingFrames;

    public int StepsFor(int rowCount) => (_pendingFrames + rowCount) / _shape.FramesPerStep;

    public int Score(ReadOnlySpan<float> rows, Span<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int melBins = _shape.MelBins;
        if (rows.Length % melBins != 0)
        {
            throw new ArgumentException($"Frames must be whole rows of {melBins} mel bins, got {rows.Length} floats.", nameof(rows));
        }

        int steps = StepsFor(rows.Length / melBins);
        if (probabilities.Length < steps)
        {
            throw new ArgumentException($"Room for {probabilities.Length} probabilities, but these frames complete {steps} steps.", nameof(probabilities));
        }

        int written = 0;
        while (written < steps)
        {
            int k = Math.Min(steps - written, MaxStepsPerRun);

            // The pending frames come first, then the new ones, up to k whole steps.
            Span<float> input = _stream.Input(k);
            int pendingFloats = _pendingFrames * melBins;
            _pending.AsSpan(0, pendingFloats).CopyTo(input);
            int fromFrames = input.Length - pendingFloats;
            rows[..fromFrames].CopyTo(input[pendingFloats..]);
            rows = rows[fromFrames..];
            _pendingFrames = 0;

            _stream.Run(k).CopyTo(probabilities[written..]);
            written += k;
        }

        // What is left does not complete a step: keep it for the next call.
        rows.CopyTo(_pending.AsSpan(_pendingFrames * melBins));
        _pendingFrames += rows.Length / melBins;
        return written;
    }

    public void Reset()
    {
        _stream.Reset();
        _pendingFrames = 0;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stream.Dispose();
        }
    }
}
