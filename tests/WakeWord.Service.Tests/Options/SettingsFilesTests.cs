using WakeWord.Service.Options;

namespace WakeWord.Service.Tests.Options;

public sealed class SettingsFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ValidJsonWithCommentsAndTrailingCommasHasNoProblem()
    {
        // The configuration provider accepts both, so the check must too.
        Assert.Null(SettingsFiles.Check(Write("{ // the models\n \"Models\": { \"Directory\": \"models\", },\n}")));
    }

    [Fact]
    public void InvalidJsonIsNamedWithLineAndPosition()
    {
        string path = Write("{\n  \"Audio\": { \"Source\": \"stdin\",, }\n}");

        string? problem = SettingsFiles.Check(path);

        Assert.NotNull(problem);
        Assert.StartsWith($"{path} is not valid JSON: line 2, position ", problem);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  \n", "is empty")]
    [InlineData("[1, 2]", "must hold one JSON object")]
    public void EmptyOrNotAnObjectIsNamed(string text, string message)
    {
        Assert.Contains(message, SettingsFiles.Check(Write(text)));
    }

    [Fact]
    public void DeletedFileIsNamed()
    {
        string path = Write("{}");
        File.Delete(path);

        Assert.Equal($"{path} was deleted", SettingsFiles.Check(path));
    }
}
