namespace WakeWord.Onnx.LogMel;

/// <summary>The fixed dimensions of a <c>wakeword-gru-v1</c> graph: F mel bins, C context frames, L GRU layers of H units, frames per step.</summary>
public sealed record LogMelGruShape(int MelBins, int ContextFrames, int GruLayers, int GruHidden, int FramesPerStep);
