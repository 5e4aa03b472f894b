using System.Text.Json;
using WakeWord.Core.Detection;

namespace WakeWord.Cli.Output;

/// <summary>
/// One JSON object per line: {"type":"event","word":..,"model":..,"time_s":..,"score":..,"threshold":..} and, with
/// --scores, {"type":"score","model":..,"step":..,"time_s":..,"prob":..}.
/// </summary>
public sealed class JsonLinesDetectionWriter : IDetectionWriter
{
    private readonly Stream output;
    private readonly Utf8JsonWriter json;

    public JsonLinesDetectionWriter(Stream output)
    {
        this.output = output;
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void WriteEvent(WakeEvent wakeEvent)
    {
        json.WriteStartObject();
        json.WriteString("type", "event");
        json.WriteString("word", wakeEvent.Word);
        json.WriteString("model", wakeEvent.ModelId);
        json.WriteNumber("time_s", Math.Round(wakeEvent.AudioOffset.TotalSeconds, 6));
        json.WriteNumber("score", wakeEvent.Score);
        json.WriteNumber("threshold", wakeEvent.Threshold);
        json.WriteString("time_utc", wakeEvent.TimeUtc);
        json.WriteEndObject();
        EndLine();
        output.Flush();
    }

    public void WriteScore(string model, long step, double timeSeconds, float probability)
    {
        json.WriteStartObject();
        json.WriteString("type", "score");
        json.WriteString("model", model);
        json.WriteNumber("step", step);
        json.WriteNumber("time_s", Math.Round(timeSeconds, 6));
        json.WriteNumber("prob", probability);
        json.WriteEndObject();
        EndLine();
    }

    public void Flush()
    {
        json.Flush();
        output.Flush();
    }

    public void Dispose()
    {
        Flush();
        json.Dispose();
    }

    private void EndLine()
    {
        json.Flush();
        output.WriteByte((byte)'\n');
        json.Reset();
    }
}
