using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx.Heads;

/// <summary>
/// One stream through a <see cref="HeadModel"/>: one embedding per step in, one probability per step out, the graph's
/// state carried. Steady state allocates nothing. Not thread-safe: one stream, one thread.
/// </summary>
public sealed class HeadScorer : IWakeWordScorer
{
    /// <summary>Steps per ONNX Runtime call at most, for a graph whose time axis is free.</summary>
    public const int MaxStepsPerRun = 64;

    private readonly int _stepsPerRun;

    private readonly StreamingSession _stream;
    private readonly int _width;
    private bool _disposed;

    /// <param name="stepsPerRun">Steps per call at most: <see cref="MaxStepsPerRun"/>, or 1 for a graph that takes one embedding per call (a staggered head).</param>
    internal HeadScorer(InferenceSession session, ModelInfo info, IReadOnlyList<StreamingSession.StateSpec> states, int stepsPerRun)
    {
        Info = info;
        _width = info.FrontEnd.Width;
        _stepsPerRun = stepsPerRun;
        _stream = new StreamingSession(
            session,
            new StreamingSession.Port(HeadContract.EmbeddingsInput, _width, k => [1, k, _width]),
            new StreamingSession.Port(HeadContract.ProbsOutput, 1, k => [1, k]),
            states,
            stepsPerRun);
    }

    public ModelInfo Info { get; }

    public int StepsFor(int rowCount) => rowCount;

    public int Score(ReadOnlySpan<float> rows, Span<float> probabilities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (rows.Length % _width != 0)
        {
            throw new ArgumentException($"Embeddings must be whole rows of {_width} values, got {rows.Length} floats.", nameof(rows));
        }

        int steps = rows.Length / _width;
        if (probabilities.Length < steps)
        {
            throw new ArgumentException($"Room for {probabilities.Length} probabilities, but {steps} embeddings were given.", nameof(probabilities));
        }

        for (int done = 0; done < steps;)
        {
            int k = Math.Min(steps - done, _stepsPerRun);
            rows.Slice(done * _width, k * _width).CopyTo(_stream.Input(k));
            _stream.Run(k).CopyTo(probabilities[done..]);
            done += k;
        }

        return steps;
    }

    public void Reset() => _stream.Reset();

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _stream.Dispose();
        }
    }
}
