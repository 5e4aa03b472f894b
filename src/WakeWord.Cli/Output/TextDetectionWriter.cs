using System.Globalization;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>
/// key=value lines, readable and easy to grep or awk: "event time_s=2.340 word=computer score=0.934 ...". When `detect`
/// reads several inputs, each line ends with " input=path" (last, so a path with spaces is the rest of the line).
/// </summary>
/// <param name="output">Where the lines go.</param>
/// <param name="input">The input these lines are about; null leaves it out (one input).</param>
public sealed class TextDetectionWriter(TextWriter output, string? input = null) : IDetectionWriter
{
    private readonly string _inputSuffix = input is null ? "" : " input=" + input;

    public void WriteEvent(WakeEvent wakeEvent)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"event time_s={wakeEvent.AudioOffset.TotalSeconds:F3} word={wakeEvent.Word} score={wakeEvent.Score:F3} threshold={wakeEvent.Threshold:0.###} model={wakeEvent.ModelId}{_inputSuffix}"));

        // Events are rare and someone may be waiting on them (arecord | wakeword detect -): print at once.
        output.Flush();
    }

    public void WriteScore(string model, long step, double timeSeconds, float probability) =>
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"score step={step} time_s={timeSeconds:F3} model={model} prob={probability:F4}{_inputSuffix}"));

    public void Flush() => output.Flush();

    public void Dispose() => output.Flush();
}
