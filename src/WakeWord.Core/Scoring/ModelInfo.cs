using WakeWord.Core.FrontEnds;

namespace WakeWord.Core.Scoring;

/// <summary>What a model says about itself (ONNX metadata, see models/README.md).</summary>
/// <param name="FrontEnd">The front end whose rows the model scores.</param>
/// <param name="RowsPerStep">Front-end rows per output step (3 log-mel frames; 1 embedding).</param>
public sealed record ModelInfo(
    string Id,
    string Word,
    string Path,
    string Version,
    FrontEndSpec FrontEnd,
    int RowsPerStep,
    float RecommendedThreshold,
    int HeldOnesSteps,
    double RecommendedRefractorySeconds,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The audio rate the model needs.</summary>
    public int SampleRate => FrontEnd.SampleRate;

    /// <summary>When this model's output steps happen in the audio.</summary>
    public StepTiming Timing => new(RowsPerStep, FrontEnd);

    /// <summary>Seconds of audio per output step.</summary>
    public double StepSeconds => Timing.StepSeconds;
}
