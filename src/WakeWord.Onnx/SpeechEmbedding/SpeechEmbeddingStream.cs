using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.FrontEnds;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx.SpeechEmbedding;

/// <summary>
/// One audio stream through the speech embedding: samples in, one embedding per whole step (1280 samples) out; samples
/// that do not complete a step wait for the next call. Starts from zero state (352 zero samples before the stream,
/// zero convolution caches), as training computes it. Steady state allocates nothing. Not thread-safe.
/// </summary>
public sealed class SpeechEmbeddingStream : IFrontEndStream
{
    /// <summary>Steps per ONNX Runtime call at most (5.12 s of audio).</summary>
    public const int MaxStepsPerRun = 64;

    private readonly StreamingSession _stream;
    private readonly int _stepSamples;
    private readonly int _width;
    private readonly float[] _pending;
    private int _pendingSamples;
    private bool _disposed;

    internal SpeechEmbeddingStream(InferenceSession session, FrontEndSpec spec, IReadOnlyList<StreamingSession.StateSpec> states)
    {
        Spec = spec;
        _stepSamples = spec.RowSamples;
        _width = spec.Width;
        _pending = new float[_stepSamples];
        _stream = new StreamingSession(
            session,
            new StreamingSession.Port(FrontEndContract.AudioInput, _stepSamples, k => [1, (long)k * _stepSamples]),
            new StreamingSession.Port(FrontEndContract.EmbeddingsOutput, _width, k => [1, k, _width]),
            states,
            MaxStepsPerRun);
    }

    public FrontEndSpec Spec { get; }

    public int RowsFor(int sampleCount) => (int)(((long)_pendingSamples + sampleCount) / _stepSamples);

    public int Process(ReadOnlySpan<float> samples, Span<float> rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int steps = RowsFor(samples.Length);
        if (rows.Length < steps * _width)
        {
            throw new ArgumentException($"The row buffer holds {rows.Length} floats but {steps} embeddings of {_width} need {steps * _width}.", nameof(rows));
        }

        int written = 0;
        while (written < steps)
        {
            int k = Math.Min(steps - written, MaxStepsPerRun);
            Span<float> input = _stream.Input(k);
            _pending.AsSpan(0, _pendingSamples).CopyTo(input);
            int fromSamples = input.Length - _pendingSamples;
            samples[..fromSamples].CopyTo(input[_pendingSamples..]);
            samples = samples[fromSamples..];
            _pendingSamples = 0;
            _stream.Run(k).CopyTo(rows[(written * _width)..]);
            written += k;
        }

        samples.CopyTo(_pending.AsSpan(_pendingSamples));
        _pendingSamples += samples.Length;
        return written;
    }

    public void Reset()
    {
        _stream.Reset();
        _pendingSamples = 0;
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
