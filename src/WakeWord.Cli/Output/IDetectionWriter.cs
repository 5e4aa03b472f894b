using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>Where `detect` prints what it found: events and, with --scores, every per-step probability.</summary>
public interface IDetectionWriter : IDisposable
{
    void WriteEvent(WakeEvent wakeEvent);

    /// <param name="model">Model id.</param>
    /// <param name="step">Output step from the start of the input.</param>
    /// <param name="timeSeconds">Input position at which this step's probability became available.</param>
    /// <param name="probability">The model's output.</param>
    void WriteScore(string model, long step, double timeSeconds, float probability);

    void Flush();
}
