using WakeWord.Core.FrontEnds;

namespace WakeWord.Core.Scoring;

/// <summary>
/// When a model's output steps happen in the audio, the one definition (models/README.md): step j needs front-end rows
/// 0 .. (j+1)*rows_per_step - 1, so it is available at sample ((j+1)*rows_per_step - 1)*row_samples + first_row_samples
/// (for log-mel: hop and window; for the speech embedding: 1280 and 1280). Training's copy is training/timing.py; the
/// golden tests/data/golden/step_timing.json pins both.
/// </summary>
public readonly record struct StepTiming(int RowsPerStep, FrontEndSpec FrontEnd)
{
    /// <summary>Samples of audio per output step.</summary>
    public long SamplesPerStep => (long)RowsPerStep * FrontEnd.RowSamples;

    /// <summary>Seconds of audio per output step.</summary>
    public double StepSeconds => (double)SamplesPerStep / FrontEnd.SampleRate;

    /// <summary>The sample count from the stream start at which step <paramref name="step"/> (0-based) is available.</summary>
    public long SampleAvailable(long step) => ((step + 1) * RowsPerStep - 1) * FrontEnd.RowSamples + FrontEnd.FirstRowSamples;

    public double SecondsAvailable(long step) => (double)SampleAvailable(step) / FrontEnd.SampleRate;

    public TimeSpan AvailableAt(long step) => TimeSpan.FromTicks(SampleAvailable(step) * TimeSpan.TicksPerSecond / FrontEnd.SampleRate);

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
