namespace WakeWord.Core.Scoring;

/// <summary>
/// A streaming model: feature frames in, one trigger probability per output step out. It scores; it does not decide
/// (that is <see cref="Detection.TriggerDetector"/>). Carries its state between calls.
/// </summary>
public interface IWakeWordScorer : IDisposable
{
    ModelInfo Info { get; }

    /// <summary>
    /// Consumes <paramref name="frames"/> (n frames of Info.Features.MelBins floats, row-major), buffering any frames that do
    /// not complete an output step, and writes one probability per completed step. Returns how many were written.
    /// <paramref name="probabilities"/> must have room for (buffered + n) / FramesPerStep values.
    /// </summary>
    int Score(ReadOnlySpan<float> frames, Span<float> probabilities);

    /// <summary>Back to the start-of-stream state (zero recurrent state, no buffered frames).</summary>
    void Reset();
}
