using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;

namespace WakeWord.Onnx.Heads;

/// <summary>
/// A loaded <c>wakeword-head-v1</c> model: a streaming GRU over its front end's embedding steps, one probability per
/// step. Shared and thread-safe; each stream scores through its own <see cref="GruHeadScorer"/>.
/// </summary>
public sealed class GruHeadModel : IWakeWordModel
{
    private readonly InferenceSession _session;
    private readonly IDisposable? _ownedFrontEnd;
    private bool _disposed;

    /// <param name="ownedFrontEnd">The front end when this model alone uses it (disposed with the model); null when a <see cref="ModelSet"/> shares it.</param>
    internal GruHeadModel(InferenceSession session, ModelInfo info, IFrontEnd frontEnd, int gruLayers, int gruHidden, IDisposable? ownedFrontEnd)
    {
        _session = session;
        Info = info;
        FrontEnd = frontEnd;
        GruLayers = gruLayers;
        GruHidden = gruHidden;
        _ownedFrontEnd = ownedFrontEnd;
    }

    public ModelInfo Info { get; }

    public IFrontEnd FrontEnd { get; }

    public int GruLayers { get; }

    public int GruHidden { get; }

    public IWakeWordScorer CreateScorer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new GruHeadScorer(_session, Info, GruLayers, GruHidden);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _session.Dispose();
            _ownedFrontEnd?.Dispose();
        }
    }
}
