using WakeWord.Core.FrontEnds;

namespace WakeWord.Core.Scoring;

/// <summary>
/// A loaded model, shared: its weights (one ONNX session) and what it says about itself. Each audio stream scores
/// through its own <see cref="IWakeWordScorer"/> from <see cref="CreateScorer"/>, so one model serves any number of
/// streams, on any threads. Disposing it releases the session; dispose its scorers first.
/// </summary>
public interface IWakeWordModel : IDisposable
{
    ModelInfo Info { get; }

    /// <summary>The loaded front end whose rows this model scores (shared with other models that name the same one).</summary>
    IFrontEnd FrontEnd { get; }

    /// <summary>A new stream's state (start of stream).</summary>
    IWakeWordScorer CreateScorer();
}
