namespace WakeWord.Onnx;

/// <summary>The fixed dimensions of a contract model: F mel bins, C context frames, L GRU layers of H units, frames per step.</summary>
public sealed record ModelShape(int MelBins, int ContextFrames, int GruLayers, int GruHidden, int FramesPerStep);
