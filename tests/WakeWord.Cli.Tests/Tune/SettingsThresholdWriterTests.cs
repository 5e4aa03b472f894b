using System.Text;
using System.Text.Json.Nodes;
using WakeWord.Cli.Tune;

namespace WakeWord.Cli.Tests.Tune;

/// <summary>
/// tune --write changes one value and nothing else of the settings file: every other byte stays (the shipped file's
/// one-line "Using" array was reformatted when the whole file was serialized again).
/// </summary>
public sealed class SettingsThresholdWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-threshold-writer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void In_the_shipped_file_the_threshold_is_added_on_its_own_line_and_every_other_byte_stays()
    {
        string shipped = File.ReadAllText(Path.Combine(RepoRoot(), "src", "WakeWord.Service", "appsettings.json"));
        string path = Settings(shipped);

        string key = SettingsThresholdWriter.Write(path, "computer", "computer.onnx", 0.4217f);

        string written = File.ReadAllText(path);
        const string added = ",\n        \"Threshold\": 0.422";
        Assert.Equal("Models:Active:0:Threshold", key);
        Assert.Contains("\"ConsecutiveSteps\": 1" + added + "\n", written, StringComparison.Ordinal);
        Assert.Equal(shipped, written.Replace(added, "", StringComparison.Ordinal));
        Assert.Contains("\"Using\": [ \"Serilog.Sinks.Console\", \"Serilog.Sinks.File\" ],", written, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_already_there_is_replaced_in_place()
    {
        string text = "{\n  \"Models\": { \"Active\": [\n    { \"Word\": \"computer\", \"threshold\": \"0.5\", \"RefractorySeconds\": 2 }\n  ] }\n}\n";
        string path = Settings(text);

        SettingsThresholdWriter.Write(path, "computer", "computer.onnx", 0.7f);

        Assert.Equal(text.Replace("\"0.5\"", "0.7", StringComparison.Ordinal), File.ReadAllText(path));
    }

    [Fact]
    public void An_inline_entry_gets_the_threshold_inline_and_the_entry_is_found_by_its_model_file()
    {
        string text = "{ \"Models\": { \"Active\": [ { \"Word\": \"jarvis\" }, { \"Path\": \"/srv/models/computer.onnx\", \"Extra\": { \"a\": [1, 2] } } ] } }";
        string path = Settings(text);

        string key = SettingsThresholdWriter.Write(path, "computer", "computer.onnx", 0.25f);

        Assert.Equal("Models:Active:1:Threshold", key);
        Assert.Equal(text.Replace("[1, 2] } }", "[1, 2] }, \"Threshold\": 0.25 }", StringComparison.Ordinal), File.ReadAllText(path));
        Assert.Equal(0.25, (double)JsonNode.Parse(File.ReadAllText(path))!["Models"]!["Active"]![1]!["Threshold"]!);
    }

    [Fact]
    public void Windows_line_ends_and_a_byte_order_mark_stay()
    {
        string text = "{\r\n  \"Models\": {\r\n    \"Active\": [\r\n      {\r\n        \"Word\": \"computer\"\r\n      }\r\n    ]\r\n  }\r\n}\r\n";
        string path = Path.Combine(_folder, "bom.json");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        SettingsThresholdWriter.Write(path, "computer", "computer.onnx", 0.5f);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(text.Replace("\"computer\"\r\n", "\"computer\",\r\n        \"Threshold\": 0.5\r\n", StringComparison.Ordinal), Encoding.UTF8.GetString(bytes[3..]));
    }

    private string Settings(string text)
    {
        string path = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WakeWord.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WakeWord.sln not found above " + AppContext.BaseDirectory);
    }
}
