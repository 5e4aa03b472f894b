using System.Text.Json;

namespace WakeWord.EndToEnd.Tests.Cli;

/// <summary>One line of `wakeword detect --json`, type "event".</summary>
public sealed record DetectEvent(string Word, string Model, double TimeSeconds, double Score, double Threshold)
{
    public static DetectEvent From(JsonElement json) => new(
        json.GetProperty("word").GetString()!,
        json.GetProperty("model").GetString()!,
        json.GetProperty("time_s").GetDouble(),
        json.GetProperty("score").GetDouble(),
        json.GetProperty("threshold").GetDouble());

    /// <summary>Parses every stdout line as JSON (failing the test on any line that is not) and returns those of one type.</summary>
    public static List<JsonElement> Lines(string stdout, string type)
    {
        var found = new List<JsonElement>();
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            JsonElement json = JsonDocument.Parse(line).RootElement;
            if (json.GetProperty("type").GetString() == type)
            {
                found.Add(json);
            }
        }

        return found;
    }

    public static List<DetectEvent> Events(string stdout) => Lines(stdout, "event").Select(From).ToList();
}
