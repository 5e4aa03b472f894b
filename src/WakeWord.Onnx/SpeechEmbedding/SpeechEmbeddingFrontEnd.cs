using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.FrontEnds;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx.SpeechEmbedding;

/// <summary>
/// Google's speech embedding as the project exports it (models/frontends/speech_embedding.onnx, <c>wakeword-frontend-v1</c>):
/// 1280 samples in, one 96-value embedding out, the mel carry and every convolution's cache as state. Loaded once and
/// shared by every head that names it (by the sha256 of the file) and by every stream. Thread-safe.
/// </summary>
public sealed class SpeechEmbeddingFrontEnd : IFrontEnd, IDisposable
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<StreamingSession.StateSpec> _states;
    private bool _disposed;

    internal SpeechEmbeddingFrontEnd(InferenceSession session, FrontEndSpec spec, IReadOnlyList<StreamingSession.StateSpec> states, int warmupSteps, string path)
    {
        _session = session;
        _states = states;
        Spec = spec;
        WarmupSteps = warmupSteps;
        Path = path;
    }

    public FrontEndSpec Spec { get; }

    /// <summary>Steps from the stream start before every embedding equals the windowed network's (76 frames heard).</summary>
    public int WarmupSteps { get; }

    /// <summary>The file it was loaded from.</summary>
    public string Path { get; }

    /// <summary>The sha256 of the file (heads name their front end by it).</summary>
    public string Sha256 => Spec.Identity;

    public IFrontEndStream CreateStream()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SpeechEmbeddingStream(_session, Spec, _states);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
        }
    }
}
