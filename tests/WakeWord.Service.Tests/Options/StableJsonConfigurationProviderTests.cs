using Microsoft.Extensions.Configuration;
using WakeWord.Service.Options;

namespace WakeWord.Service.Tests.Options;

public sealed class StableJsonConfigurationProviderTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("wakeword-stable-json-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task BrokenEditsAreRefusedWithTheReasonAndTheLastGoodValuesStayUntilAGoodEdit()
    {
        string path = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(path, """{ "Models": { "Directory": "first" } }""");
        var builder = new ConfigurationBuilder();
        builder.AddJsonFile(path, optional: false, reloadOnChange: true);
        var files = SettingsFiles.Of(builder);
        var refused = new System.Collections.Concurrent.ConcurrentQueue<string>();
        files.Refused += refused.Enqueue;
        using var config = (ConfigurationRoot)builder.Build();
        int reloads = 0;
        using IDisposable registration = Microsoft.Extensions.Primitives.ChangeToken.OnChange(config.GetReloadToken, () => Interlocked.Increment(ref reloads));

        foreach ((string text, string reason) in new[] { ("{ \"Models\": ,", "is not valid JSON: line 1"), ("", "is empty"), ("[]", "must hold one JSON object") })
        {
            int before = refused.Count;
            Replace(path, text);
            await WaitUntilAsync(() => refused.Count > before, $"no refusal for '{text}'");
            Assert.Contains(reason, refused.ToArray()[before]);
            Assert.Equal("first", config["Models:Directory"]);
        }

        File.Delete(path);
        await WaitUntilAsync(() => refused.Any(r => r.EndsWith("was deleted", StringComparison.Ordinal)), "no refusal for the deleted file");
        Assert.Equal("first", config["Models:Directory"]);
        Assert.Equal(0, Volatile.Read(ref reloads));

        Replace(path, """{ "Models": { "Directory": "second" } }""");
        await WaitUntilAsync(() => config["Models:Directory"] == "second", "the good edit was not applied");
        await WaitUntilAsync(() => Volatile.Read(ref reloads) > 0, "no reload announced for the good edit");
    }

    private static void Replace(string path, string text)
    {
        File.WriteAllText(path + ".part", text);
        File.Move(path + ".part", path, overwrite: true);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string message)
    {
        DateTime end = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, message);
            await Task.Delay(20);
        }
    }
}
