using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WakeWord.Core.Scoring;

namespace WakeWord.Cli.Tune;

/// <summary>
/// Sets the threshold of one model's Models:Active entry in a service settings file (appsettings.json), leaving every
/// other byte of the file as it was: the value is replaced, or the property added after the entry's last one, in the
/// entry's own layout (re-serializing the whole file reformatted it, e.g. the one-line "Using" array). Refuses, naming
/// the problem, rather than lose anything: a file that does not parse, one with comments, or one with no entry for the
/// model.
/// </summary>
public static class SettingsThresholdWriter
{
    private const string Property = "Threshold";

    /// <summary>Throws <see cref="UsageException"/> when <see cref="Write(string, ModelInfo, float)"/> would refuse the file (checked before the sweep runs).</summary>
    public static void Check(string path, ModelInfo model) => Locate(path, model.Word, Path.GetFileName(model.Path));

    /// <summary>Writes the threshold and returns the settings key it set, e.g. "Models:Active:0:Threshold".</summary>
    public static string Write(string path, ModelInfo model, float threshold) => Write(path, model.Word, Path.GetFileName(model.Path), threshold);

    /// <summary>As <see cref="Write(string, ModelInfo, float)"/>, for the model with this word or file name.</summary>
    public static string Write(string path, string word, string modelFile, float threshold)
    {
        int index = Locate(path, word, modelFile);
        byte[] bytes = File.ReadAllBytes(path);
        int bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        string value = Math.Round(threshold, 3).ToString(CultureInfo.InvariantCulture);
        byte[] edited = Edit(bytes.AsSpan(bom), index, value);

        // Written in place, not replaced by a renamed temp file: the file keeps its owner, group and mode (under
        // /etc/wakeword the service's group must keep reading it). A service that reads it mid-write refuses the partial
        // file and keeps its values until the next change, which the end of this write is.
        using (FileStream file = File.Open(path, FileMode.Truncate, FileAccess.Write))
        {
            file.Write(bytes.AsSpan(0, bom));
            file.Write(edited);
        }

        return string.Create(CultureInfo.InvariantCulture, $"Models:Active:{index}:Threshold");
    }

    /// <summary>The file's bytes with entry <paramref name="index"/>'s Threshold set to <paramref name="value"/>.</summary>
    private static byte[] Edit(ReadOnlySpan<byte> json, int index, string value)
    {
        EntrySpan entry = Find(json, index);
        byte[] number = Encoding.UTF8.GetBytes(value);
        if (entry.ValueStart >= 0)
        {
            return [.. json[..entry.ValueStart], .. number, .. json[entry.ValueEnd..]];
        }

        // A new last property, laid out as the one before it: on its own line with that line's indentation, or inline.
        string insert;
        if (entry.LastValueEnd < 0)
        {
            insert = $"\"{Property}\": {value}";
            return [.. json[..(entry.Start + 1)], .. Encoding.UTF8.GetBytes(insert), .. json[(entry.Start + 1)..]];
        }

        int lineStart = json[..entry.LastNameStart].LastIndexOf((byte)'\n') + 1;
        bool ownLine = lineStart > entry.Start;
        string indent = ownLine ? Encoding.UTF8.GetString(json[lineStart..entry.LastNameStart]) : "";
        string newline = lineStart > 1 && json[lineStart - 2] == (byte)'\r' ? "\r\n" : "\n";
        insert = ownLine ? $",{newline}{indent}\"{Property}\": {value}" : $", \"{Property}\": {value}";
        return [.. json[..entry.LastValueEnd], .. Encoding.UTF8.GetBytes(insert), .. json[entry.LastValueEnd..]];
    }

    /// <summary>Where things are in entry <paramref name="index"/> of Models:Active (byte offsets; -1 when absent).</summary>
    private readonly record struct EntrySpan(int Start, int ValueStart, int ValueEnd, int LastNameStart, int LastValueEnd);

    private static EntrySpan Find(ReadOnlySpan<byte> json, int index)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        string[] path = new string[64];
        int element = -1;
        int start = -1, valueStart = -1, valueEnd = -1, lastNameStart = -1, lastValueEnd = -1;
        while (reader.Read())
        {
            int depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[depth] = reader.GetString()!;
                    if (start >= 0 && depth == 4)
                    {
                        lastNameStart = (int)reader.TokenStartIndex;
                    }

                    break;
                case JsonTokenType.StartObject when depth == 3 && InActive(path):
                    element++;
                    if (element == index)
                    {
                        start = (int)reader.TokenStartIndex;
                    }

                    break;
                case JsonTokenType.StartArray when depth == 3 && InActive(path):
                    element++; // an entry that is no object (Locate never picks one): counted, skipped
                    reader.Skip();
                    break;
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null
                    when depth == 3 && InActive(path):
                    element++;
                    break;
                case JsonTokenType.EndObject when depth == 3 && start >= 0 && element == index:
                    return new EntrySpan(start, valueStart, valueEnd, lastNameStart, lastValueEnd);
                default:
                    break;
            }

            if (start >= 0 && element == index && depth == 4 && reader.TokenType != JsonTokenType.PropertyName)
            {
                // A property's value, or the start of one (an object or array value ends further on: skip it whole).
                int valueBegin = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                int end = (int)reader.BytesConsumed;
                lastValueEnd = end;
                if (string.Equals(path[4], Property, StringComparison.OrdinalIgnoreCase))
                {
                    (valueStart, valueEnd) = (valueBegin, end);
                }
            }
        }

        throw new UsageException($"--write: cannot find entry {index} of Models:Active");
    }

    /// <summary>True inside the root's "Models" object's "Active" array (depths 1 and 2 of the reader).</summary>
    private static bool InActive(string[] path) => path[1] == "Models" && path[2] == "Active";

    /// <summary>The index of the model's entry; throws <see cref="UsageException"/> when there is none or the file cannot be kept.</summary>
    private static int Locate(string path, string word, string modelFile)
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
            throw new UsageException($"--write: {path} has no Models:Active list; add an entry {{\"Word\": \"{word}\"}} to it first");
        }

        for (int i = 0; i < active.Count; i++)
        {
            if (active[i] is JsonObject entry && (Matches(entry["Word"], word) || Matches(entry["Path"], modelFile, fileName: true)))
            {
                return i;
            }
        }

        throw new UsageException($"--write: {path} has no Models:Active entry for \"{word}\" ({modelFile}); add {{\"Word\": \"{word}\"}} to the list first");
    }

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
