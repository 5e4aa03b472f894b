using WakeWord.Core.Features;

namespace WakeWord.Core.Scoring;

/// <summary>
/// When a model's output steps happen in the audio, the one definition (models/README.md): step j needs frames
/// 0 .. (j+1)*frames_per_step - 1, so it is available at sample ((j+1)*frames_per_step - 1)*hop + window. Training's
/// copy is training/timing.py; the golden tests/data/golden/step_timing.json pins both.
/// </summary>
public readonly record struct StepTiming(int FramesPerStep, FeatureSpec Features)
{
    /// <summary>Samples of audio per output step.</summary>
    public long SamplesPerStep => (long)FramesPerStep * Features.HopSamples;

    /// <summary>Seconds of audio per output step.</summary>
    public double StepSeconds => (double)SamplesPerStep / Features.SampleRate;

    /// <summary>The sample count from the stream start at which step <paramref name="step"/> (0-based) is available.</summary>
    public long SampleAvailable(long step) => ((step + 1) * FramesPerStep - 1) * Features.HopSamples + Features.WindowSamples;

    public double SecondsAvailable(long step) => (double)SampleAvailable(step) / Features.SampleRate;

    public TimeSpan AvailableAt(long step) => TimeSpan.FromTicks(SampleAvailable(step) * TimeSpan.TicksPerSecond / Features.SampleRate);

    /// <summary>The first step that has heard the audio up to sample <paramref name="sample"/> (a word's end; training's labels).</summary>
    public long FirstStepAfter(long sample)
    {
        long pending = sample - SampleAvailable(0);
        return pending <= 0 ? 0 : (pending + SamplesPerStep - 1) / SamplesPerStep;
    }

    /// <summary>The last step available by sample <paramref name="sample"/>; -1 when none is yet.</summary>
    public long LastStepBy(long sample)
    {
        long since = sample - SampleAvailable(0);
        return since >= 0 ? since / SamplesPerStep : -((-since + SamplesPerStep - 1) / SamplesPerStep);
    }
}
