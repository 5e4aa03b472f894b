using Microsoft.ML.OnnxRuntime;
using WakeWord.Core.FrontEnds;
using WakeWord.Core.Scoring;
using WakeWord.Onnx.Streaming;

namespace WakeWord.Onnx.Heads;

/// <summary>
/// A loaded <c>wakeword-head-v1</c> model: one probability per embedding step of its front end, with whatever state its
/// graph carries (a windowed head: the last window - 1 embeddings; a staggered head: its copies' GRU states and a step
/// counter, one embedding per call). Shared and thread-safe; each stream scores
/// through its own <see cref="HeadScorer"/>.
/// </summary>
public sealed class HeadModel : IWakeWordModel
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<StreamingSession.StateSpec> _states;
    private readonly IDisposable? _ownedFrontEnd;
    private readonly int _stepsPerRun;
    private bool _disposed;

    /// <param name="ownedFrontEnd">The front end when this model alone uses it (disposed with the model); null when a <see cref="ModelSet"/> shares it.</param>
    /// <param name="stepsPerRun">Embeddings per call at most (1 when the graph's time axis is fixed at 1).</param>
    internal HeadModel(InferenceSession session, ModelInfo info, IFrontEnd frontEnd, IReadOnlyList<StreamingSession.StateSpec> states, IDisposable? ownedFrontEnd, int stepsPerRun)
    {
        _session = session;
        _states = states;
        _stepsPerRun = stepsPerRun;
        Info = info;
        FrontEnd = frontEnd;
        _ownedFrontEnd = ownedFrontEnd;
    }

    public ModelInfo Info { get; }

    public IFrontEnd FrontEnd { get; }

    public IWakeWordScorer CreateScorer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new HeadScorer(_session, Info, _states, _stepsPerRun);
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
