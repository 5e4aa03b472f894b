using WakeWord.Core.Features;

namespace WakeWord.Core.Scoring;

/// <summary>What a model says about itself (ONNX metadata, see models/README.md).</summary>
public sealed record ModelInfo(
    string Id,
    string Word,
    string Path,
    string Version,
    FeatureSpec Features,
    int FramesPerStep,
    float RecommendedThreshold,
    int HeldOnesSteps,
    double RecommendedRefractorySeconds,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>When this model's output steps happen in the audio.</summary>
    public StepTiming Timing => new(FramesPerStep, Features);

    /// <summary>Seconds of audio per output step.</summary>
    public double StepSeconds => Timing.StepSeconds;
}
