namespace WakeWord.Core.Scoring;

/// <summary>
/// One stream through a model: front-end rows in, one trigger probability per output step out. It scores; it does not
/// decide (that is <see cref="Detection.TriggerDetector"/>). Carries the stream's state between calls. Not thread-safe.
/// </summary>
public interface IWakeWordScorer : IDisposable
{
    ModelInfo Info { get; }

    /// <summary>
    /// Consumes <paramref name="rows"/> (n rows of Info.FrontEnd.Width floats, row-major), buffering any rows that do
    /// not complete an output step, and writes one probability per completed step. Returns how many were written.
    /// <paramref name="probabilities"/> must have room for <see cref="StepsFor"/>(n) values.
    /// </summary>
    int Score(ReadOnlySpan<float> rows, Span<float> probabilities);

    /// <summary>How many probabilities a <see cref="Score"/> call with <paramref name="rowCount"/> new rows writes.</summary>
    int StepsFor(int rowCount);

    /// <summary>Back to the start-of-stream state (zero recurrent state, no buffered rows).</summary>
    void Reset();
}
