using WakeWord.Core.Scoring;

namespace WakeWord.Cli.Detect;

/// <summary>
/// When an output step's probability becomes available: step j needs frames 0 .. (j+1)*frames_per_step - 1, so its
/// last sample is ((j+1)*frames_per_step - 1)*hop + window (models/README.md).
/// </summary>
public sealed class StepClock(ModelInfo info)
{
    private readonly long framesPerStep = info.FramesPerStep;
    private readonly long hop = info.Features.HopSamples;
    private readonly long window = info.Features.WindowSamples;
    private readonly double sampleRate = info.Features.SampleRate;

    public double SecondsAt(long step) => ((((step + 1) * framesPerStep) - 1) * hop + window) / sampleRate;
}
