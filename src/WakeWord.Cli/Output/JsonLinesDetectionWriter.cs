using System.Text.Json;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>
/// One JSON object per line: {"type":"event","word":..,"model":..,"time_s":..,"score":..,"threshold":..} and, with
/// --scores, {"type":"score","model":..,"step":..,"time_s":..,"prob":..}.
/// </summary>
public sealed class JsonLinesDetectionWriter : IDetectionWriter
{
    private readonly Stream _output;
    private readonly Utf8JsonWriter _json;

    public JsonLinesDetectionWriter(Stream output)
    {
        _output = output;
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

    private void EndLine()
    {
        _json.Flush();
        _output.WriteByte((byte)'\n');
        _json.Reset();
    }
}
