namespace WakeWord.Core.FrontEnds.LogMel;

/// <summary>The log-mel feature definition of models/README.md; a model carries its own in its metadata.</summary>
public sealed record FeatureSpec(int SampleRate, int WindowSamples, int HopSamples, int FftSize, int MelBins, float FminHz, float FmaxHz, float LogFloor)
{
    public static FeatureSpec Default { get; } = new(16000, 400, 160, 512, 40, 20f, 7600f, 1e-6f);
}
