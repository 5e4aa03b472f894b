using System.Globalization;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>key=value lines, readable and easy to grep or awk: "event time_s=2.340 word=computer score=0.934 ...".</summary>
public sealed class TextDetectionWriter(TextWriter output) : IDetectionWriter
{
    public void WriteEvent(WakeEvent wakeEvent)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"event time_s={wakeEvent.AudioOffset.TotalSeconds:F3} word={wakeEvent.Word} score={wakeEvent.Score:F3} threshold={wakeEvent.Threshold:0.###} model={wakeEvent.ModelId}"));

        // Events are rare and someone may be waiting on them (arecord | wakeword detect -): print at once.
        output.Flush();
    }

    public void WriteScore(string model, long step, double timeSeconds, float probability) =>
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"score step={step} time_s={timeSeconds:F3} model={model} prob={probability:F4}"));

    public void Flush() => output.Flush();

    public void Dispose() => output.Flush();
}
