using System.Text.Json;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>
/// One JSON object per line: {"type":"event","word":..,"model":..,"time_s":..,"score":..,"threshold":..} and, with
/// --scores, {"type":"score","model":..,"step":..,"time_s":..,"prob":..}. When `detect` reads several inputs, each
/// object also says which: "input":"path".
/// </summary>
public sealed class JsonLinesDetectionWriter : IDetectionWriter
{
    private readonly Stream _output;
    private readonly Utf8JsonWriter _json;
    private readonly string? _input;

    /// <param name="output">Where the lines go.</param>
    /// <param name="input">The input these lines are about, written into each line; null leaves it out (one input).</param>
    public JsonLinesDetectionWriter(Stream output, string? input = null)
    {
        _output = output;
        _input = input;
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void WriteEvent(WakeEvent wakeEvent)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "event");
        _json.WriteString("word", wakeEvent.Word);
        _json.WriteString("model", wakeEvent.ModelId);
        _json.WriteNumber("time_s", Math.Round(wakeEvent.AudioOffset.TotalSeconds, 6));
        _json.WriteNumber("score", wakeEvent.Score);
        _json.WriteNumber("threshold", wakeEvent.Threshold);
        _json.WriteString("time_utc", wakeEvent.TimeUtc);
        WriteInput();
        _json.WriteEndObject();
        EndLine();
        _output.Flush();
    }

    public void WriteScore(string model, long step, double timeSeconds, float probability)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "score");
        _json.WriteString("model", model);
        _json.WriteNumber("step", step);
        _json.WriteNumber("time_s", Math.Round(timeSeconds, 6));
        _json.WriteNumber("prob", probability);
        WriteInput();
        _json.WriteEndObject();
        EndLine();
    }

    public void Flush()
    {
        _json.Flush();
        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }

    private void WriteInput()
    {
        if (_input is not null)
        {
            _json.WriteString("input", _input);
        }
    }

    private void EndLine()
    {
        _json.Flush();
        _output.WriteByte((byte)'\n');
        _json.Reset();
    }
}
