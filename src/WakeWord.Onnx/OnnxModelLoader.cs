using WakeWord.Core.Scoring;

namespace WakeWord.Onnx;

/// <summary>Opens ONNX wake-word models and checks them against the contract of models/README.md.</summary>
public static class OnnxModelLoader
{
    /// <summary>Loads a model for streaming. Throws <see cref="ModelLoadException"/> naming the file and the problem (missing, not ONNX, contract mismatch).</summary>
    public static IWakeWordScorer Load(string path) => throw new NotImplementedException();

    /// <summary>Reads and validates only the metadata (for `wakeword models`).</summary>
    public static ModelInfo ReadInfo(string path) => throw new NotImplementedException();
}
