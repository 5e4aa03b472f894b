using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WakeWord.Core.Scoring;

namespace WakeWord.Cli.Tune;

/// <summary>
/// Sets the threshold of one model's Models:Active entry in a service settings file (appsettings.json), leaving
/// everything else as it was. Refuses, naming the problem, rather than lose anything: a file that does not parse, one
/// with comments (System.Text.Json cannot keep them), or one with no entry for the model.
/// </summary>
public static class SettingsThresholdWriter
{
    /// <summary>Throws <see cref="UsageException"/> when <see cref="Write"/> would refuse the file (checked before the sweep runs).</summary>
    public static void Check(string path, ModelInfo model) => Locate(path, model);

    /// <summary>Writes the threshold and returns the settings key it set, e.g. "Models:Active:0:Threshold".</summary>
    public static string Write(string path, ModelInfo model, float threshold)
    {
        (JsonNode root, JsonArray active, int index) = Locate(path, model);
        active[index]!["Threshold"] = Round(threshold);

        // Written in place, not replaced by a renamed temp file: the file keeps its owner, group and mode (under
        // /etc/wakeword the service's group must keep reading it). A service that reads it mid-write refuses the partial
        // file and keeps its values until the next change, which the end of this write is.
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        return string.Create(CultureInfo.InvariantCulture, $"Models:Active:{index}:Threshold");
    }

    private static (JsonNode Root, JsonArray Active, int Index) Locate(string path, ModelInfo model)
    {
        string text = File.ReadAllText(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException strict)
        {
            bool onlyComments = TryParseLenient(text);
            throw new UsageException(onlyComments
                ? $"--write: {path} has comments, which rewriting it would lose; set Models:Active:<n>:Threshold by hand"
                : $"--write: {path} is not valid JSON ({strict.Message})");
        }

        if (root?["Models"]?["Active"] is not JsonArray active)
        {
            throw new UsageException($"--write: {path} has no Models:Active list; add an entry {{\"Word\": \"{model.Word}\"}} to it first");
        }

        string file = Path.GetFileName(model.Path);
        int index = -1;
        for (int i = 0; i < active.Count; i++)
        {
            if (active[i] is JsonObject entry && (Matches(entry["Word"], model.Word) || Matches(entry["Path"], file, fileName: true)))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new UsageException($"--write: {path} has no Models:Active entry for \"{model.Word}\" ({file}); add {{\"Word\": \"{model.Word}\"}} to the list first");
        }

        return (root!, active, index);
    }

    private static double Round(float threshold) => Math.Round(threshold, 3);

    private static bool Matches(JsonNode? node, string value, bool fileName = false) =>
        node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) &&
        string.Equals(fileName ? Path.GetFileName(s) : s.Trim(), value, StringComparison.OrdinalIgnoreCase);

    private static bool TryParseLenient(string text)
    {
        try
        {
            JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
