using System.Text.Json;
using WakeWord.EndToEnd.Tests.Infrastructure;

namespace WakeWord.EndToEnd.Tests.Cli;

public sealed class ModelsCommandTests
{
    [Fact]
    public async Task ListsMetadataAsJson()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("models", "-m", RepoPaths.TinyModel, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement model = JsonDocument.Parse(result.StdoutLines.Single()).RootElement;
        Assert.Equal("tiny", model.GetProperty("id").GetString());
        Assert.Equal("computer", model.GetProperty("word").GetString());
        Assert.Equal(RepoPaths.TinyModel, model.GetProperty("path").GetString());
        Assert.Equal(16000, model.GetProperty("front_end").GetProperty("sample_rate").GetInt32());
        Assert.Equal("logmel", model.GetProperty("front_end").GetProperty("kind").GetString());
        Assert.Equal("wakeword-gru-v1", model.GetProperty("metadata").GetProperty("wakeword.contract").GetString());
        float threshold = float.Parse(model.GetProperty("metadata").GetProperty("detector.threshold").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(threshold, model.GetProperty("threshold").GetSingle());
    }

    [Fact]
    public async Task AFolderWithABadModelListsTheGoodOnesAndFails()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("models", "--models-dir", Path.GetDirectoryName(RepoPaths.TinyModel)!);

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("tiny: word \"computer\"", result.StdoutLines[0]);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("front end: logmel (window 400", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("front end: speech_embedding (", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l == $"path: {RepoPaths.TinyModel}");
        string error = Assert.Single(result.StderrLines);
        Assert.Contains("not_wakeword.onnx", error);
    }

    [Fact]
    public async Task MissingFolderIsAModelError()
    {
        PublishedApps apps = await PublishedApps.GetAsync();

        ProcessResult result = await apps.RunCliAsync("models", "--models-dir", "/no/such/folder");

        CliAssert.FailsWith(result, 4, "/no/such/folder", "model directory not found");
    }
}
