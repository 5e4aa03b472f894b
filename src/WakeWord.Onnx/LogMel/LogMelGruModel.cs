using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.FrontEnds.LogMel;
using WakeWord.Core.Scoring;

namespace WakeWord.Onnx.LogMel;

/// <summary>
/// A loaded <c>wakeword-gru-v1</c> model (models/README.md): log-mel frames in, one probability per step out, its own
/// convolution context and GRU state carried per stream by each <see cref="LogMelGruScorer"/>. Shared and thread-safe.
/// </summary>
public sealed class LogMelGruModel : IWakeWordModel
{
    private readonly InferenceSession _session;
    private bool _disposed;

    internal LogMelGruModel(InferenceSession session, ModelInfo info, LogMelGruShape shape, FeatureSpec features)
    {
        _session = session;
        Info = info;
        Shape = shape;
        FrontEnd = new LogMelFrontEnd(features);
    }

    public ModelInfo Info { get; }

    /// <summary>The graph's fixed dimensions.</summary>
    public LogMelGruShape Shape { get; }

    public IFrontEnd FrontEnd { get; }

    public IWakeWordScorer CreateScorer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new LogMelGruScorer(_session, Info, Shape);
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
